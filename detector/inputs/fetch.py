"""Fetch a page over HTTP(S) with trafilatura's downloader (its user agent,
timeouts, size limits and retries)."""

from __future__ import annotations

__all__ = ["FetchError", "fetch"]


class FetchError(Exception):
    """A page could not be downloaded."""


def fetch(url: str) -> str:
    """The decoded HTML of ``url``; raises FetchError when nothing usable comes back."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"{url}: not an http(s) URL")
    import trafilatura

    from detector.document import error_message

    try:
        html = trafilatura.fetch_url(url)
    except Exception as exc:  # network and decoding errors of every kind
        raise FetchError(f"{url}: download failed ({error_message(exc)})") from exc
    if not html:
        raise FetchError(f"{url}: download failed or returned an empty page")
    return html
