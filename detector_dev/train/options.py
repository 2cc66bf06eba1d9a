"""Command-line settings of the boosted classifiers, shared by the text and
HTML trainers, so that an experiment with another recipe is one command
(``python -m detector_dev.train.text --n-bags 2 --model-dir DIR``) and every
cache keyed by the recipe tells it from the shipped one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

__all__ = ["booster_options", "model_params"]

_OPTIONS = (
    click.option(
        "--max-rows",
        type=int,
        default=None,
        help="Rows each booster samples (0: all rows; default: the classifier's own).",
    ),
    click.option("--max-iter", type=int, default=None, help="Boosting iterations per booster."),
    click.option("--learning-rate", type=float, default=None, help="Booster learning rate."),
    click.option("--min-samples-leaf", type=int, default=None, help="Fewest rows per tree leaf."),
    click.option(
        "--n-bags", type=int, default=None, help="Boosters averaged per pass (own row sample each)."
    ),
    click.option(
        "--random-state",
        type=int,
        default=None,
        help="Seed of the row samples (bag k draws with seed + k): another draw of a recipe.",
    ),
)


def booster_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the classifier settings (``--max-rows`` ... ``--random-state``) to a
    click command; it receives them as keyword arguments, None when not given."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def model_params(
    *,
    max_rows: int | None = None,
    max_iter: int | None = None,
    learning_rate: float | None = None,
    min_samples_leaf: int | None = None,
    n_bags: int | None = None,
    random_state: int | None = None,
) -> dict:
    """The settings given (``max_rows`` 0: every row), as classifier keyword
    arguments; settings left out keep the classifier's defaults."""
    given = {
        "max_rows": max_rows,
        "max_iter": max_iter,
        "learning_rate": learning_rate,
        "min_samples_leaf": min_samples_leaf,
        "n_bags": n_bags,
        "random_state": random_state,
    }
    params = {name: value for name, value in given.items() if value is not None}
    if params.get("max_rows") == 0:
        params["max_rows"] = None
    return params
