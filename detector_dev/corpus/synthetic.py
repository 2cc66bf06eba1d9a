"""Synthetic structured examples: content-farm layouts the public sets lack.

None of the public sets holds the structure of modern content-farm pages
(generic bullet lists, buzzword tables, "Key takeaways", "In conclusion").
This module builds it, in two mirrored kinds, so that structure alone does
not decide the label and only what fills it does:

- ``farm`` (label 1): a machine text of the public sets (l2r rewrites, M4
  Llama-2, Russian arena answers) restructured into markdown: its sentences
  as prose, plus generic headings, "Label: a, b, and c" bullets, tables of
  short generic cells and a templated conclusion, drawn from the vocabulary
  below (written for this module; nothing comes from the acceptance seeds).
- ``structured-human`` (label 0): a human text (l2r, M4, scrapinghub)
  restructured with the same kinds of markup, filled from the text itself:
  headings cut from its sentences, bullets that are its sentences, tables of
  the names and figures it contains.

Every record carries ``synthetic: true``, ``source: "synthetic"`` and the
group of the text it was made from, so splits by story still hold. Metrics are
reported with and without these examples, and always measured on real text.
"""

from __future__ import annotations

import random
import re
from collections import Counter

from detector_dev.corpus.filler import FLAT_SOURCES, flat_blocks

SEED = 20240601

EN = {
    "headings": [
        "Understanding {topic}",
        "Key Takeaways",
        "Why {topic} Matters",
        "The Impact of {topic}",
        "Benefits and Challenges of {topic}",
        "What This Means for {audience}",
        "Future Outlook",
        "Looking Ahead",
        "Final Thoughts",
        "In Conclusion",
        "Conclusion",
        "Recommendations for {audience}",
        "Key Factors Shaping {topic}",
        "Exploring the Broader Implications",
        "Strategic Considerations for {audience}",
        "A Closer Look at {topic}",
        "What You Need to Know About {topic}",
        "Opportunities and Risks Ahead",
        "Best Practices Moving Forward",
        "The Road Ahead for {topic}",
    ],
    "audience": [
        "businesses",
        "policymakers",
        "investors",
        "consumers",
        "local communities",
        "industry leaders",
        "organizations",
        "stakeholders",
        "decision-makers",
        "families",
    ],
    "phrases": [
        "enhanced efficiency",
        "improved transparency",
        "long-term growth",
        "stakeholder engagement",
        "operational resilience",
        "market access",
        "cost optimization",
        "sustainable development",
        "risk mitigation",
        "innovation capacity",
        "public trust",
        "regulatory clarity",
        "strategic alignment",
        "community engagement",
        "resource allocation",
        "capacity building",
        "digital transformation",
        "competitive advantage",
        "customer satisfaction",
        "knowledge sharing",
        "policy coherence",
        "greater flexibility",
        "shared prosperity",
        "measurable impact",
        "streamlined processes",
        "stronger partnerships",
        "informed decision-making",
        "increased visibility",
        "broader collaboration",
        "lasting value",
    ],
    "labels": [
        "Focus areas",
        "Main benefits",
        "Key challenges",
        "Core priorities",
        "Potential outcomes",
        "Critical factors",
        "Next steps",
        "Primary goals",
        "Key drivers",
        "Main risks",
    ],
    "imperatives": [
        "Prioritize",
        "Leverage",
        "Foster",
        "Strengthen",
        "Embrace",
        "Invest in",
        "Promote",
        "Enhance",
        "Streamline",
        "Monitor",
    ],
    "headers": [
        ("Aspect", "Benefit", "Challenge"),
        ("Factor", "Impact", "Outlook"),
        ("Area", "Opportunity", "Risk"),
        ("Category", "Key Feature", "Advantage"),
        ("Stakeholder", "Priority", "Expected Outcome"),
        ("Element", "Description", "Significance"),
        ("Strategy", "Action", "Result"),
        ("Dimension", "Current State", "Future Potential"),
    ],
    "rows": [
        "Economy",
        "Technology",
        "Governance",
        "Society",
        "Environment",
        "Infrastructure",
        "Education",
        "Health",
        "Security",
        "Culture",
        "Finance",
        "Innovation",
        "Workforce",
        "Regulation",
        "Communication",
    ],
    "closers": [
        "In conclusion, {topic} represents a significant shift that could reshape "
        "{p1} and {p2} for years to come.",
        "As {topic} continues to evolve, {audience} will need to stay informed, "
        "adaptable, and focused on {p1}.",
        "Ultimately, the path forward will depend on {p1}, {p2}, and a shared commitment to {p3}.",
        "Whether these efforts will deliver lasting results remains to be seen, but "
        "the momentum behind {topic} is undeniable.",
        "By embracing {p1} and {p2}, {audience} can unlock new opportunities and "
        "navigate the challenges ahead.",
        "Overall, {topic} highlights the importance of {p1} in an increasingly "
        "complex and interconnected world.",
    ],
    "intro_list": [
        "Key considerations include:",
        "Here are the main points to consider:",
        "The most important factors include:",
        "Several key aspects stand out:",
    ],
    "and": "and",
}

RU = {
    "headings": [
        "Ключевые выводы",
        "Заключение",
        "Преимущества и вызовы",
        "Перспективы развития",
        "Рекомендации",
        "Почему это важно",
        "Основные факторы",
        "Что это значит для {audience}",
        "Итоги",
        "Взгляд в будущее",
    ],
    "audience": ["бизнеса", "общества", "инвесторов", "потребителей", "специалистов"],
    "phrases": [
        "повышение эффективности",
        "устойчивое развитие",
        "снижение рисков",
        "рост доверия",
        "цифровая трансформация",
        "доступ к рынкам",
        "оптимизация затрат",
        "укрепление сотрудничества",
        "развитие инноваций",
        "прозрачность процессов",
        "гибкость решений",
        "долгосрочный рост",
        "повышение качества",
        "обмен знаниями",
    ],
    "labels": [
        "Основные направления",
        "Ключевые преимущества",
        "Главные риски",
        "Приоритеты",
        "Ожидаемые результаты",
        "Следующие шаги",
    ],
    "imperatives": ["Развивайте", "Укрепляйте", "Используйте", "Внедряйте", "Оптимизируйте"],
    "headers": [
        ("Аспект", "Преимущество", "Риск"),
        ("Фактор", "Влияние", "Перспектива"),
        ("Направление", "Действие", "Ожидаемый результат"),
    ],
    "rows": ["Экономика", "Технологии", "Управление", "Общество", "Экология", "Образование"],
    "closers": [
        "В заключение, {topic} открывает новые возможности, связанные с {p1} и {p2}.",
        "Таким образом, дальнейшее развитие будет зависеть от множества факторов, "
        "включая {p1} и {p2}.",
        "В целом, {topic} подчеркивает важность таких направлений, как {p1}.",
        "Время покажет, насколько эффективными окажутся эти меры.",
    ],
    "intro_list": ["Ключевые аспекты включают:", "Основные моменты:"],
    "and": "и",
}

_SENT = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_CAP_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZА-ЯЁ][\w'-]+(?:\s+[A-ZА-ЯЁ][\w'-]+){0,2})")
_NUM = re.compile(r"\d[\d.,%]*")


def _sentences(rec: dict, rng: random.Random) -> list[str]:
    if rec["source"] in FLAT_SOURCES:
        text = " ".join(b.text for b in flat_blocks(rec["text"], rng))
    else:
        text = " ".join(ln.strip("#*-• ").strip() for ln in rec["text"].splitlines() if ln.strip())
    return [s.strip() for s in _SENT.split(text) if len(s.split()) >= 4]


def _topic(sents: list[str], fallback: str) -> str:
    runs = Counter(m.group(1) for s in sents for m in _CAP_RUN.finditer(s))
    for run, _ in runs.most_common(5):
        if len(run) > 3:
            return run
    return fallback


def _fill(template: str, vocab: dict, topic: str, rng: random.Random) -> str:
    p = rng.sample(vocab["phrases"], 3)
    return template.format(
        topic=topic, audience=rng.choice(vocab["audience"]), p1=p[0], p2=p[1], p3=p[2]
    )


def _farm_list(vocab: dict, rng: random.Random) -> list[str]:
    items = []
    style = rng.random()
    for label in rng.sample(vocab["labels"], rng.randint(3, 5)):
        if style < 0.5:
            a, b, c = rng.sample(vocab["phrases"], 3)
            items.append(f"- {label}: {a}, {b}, {vocab['and']} {c}")
        else:
            verb = rng.choice(vocab["imperatives"])
            a, b = rng.sample(vocab["phrases"], 2)
            bold = "**" if rng.random() < 0.4 else ""
            items.append(f"- {bold}{verb} {a}{bold}: {b.capitalize()} {vocab['and']} more.")
    return items


def _farm_table(vocab: dict, rng: random.Random) -> list[str]:
    header = rng.choice(vocab["headers"])
    rows = [f"| {' | '.join(header)} |", "|" + "---|" * len(header)]
    for label in rng.sample(vocab["rows"], rng.randint(3, 5)):
        cells = [p.capitalize() for p in rng.sample(vocab["phrases"], len(header) - 1)]
        rows.append(f"| {label} | {' | '.join(cells)} |")
    return rows


def farm_document(rec: dict, rng: random.Random) -> str | None:
    """A machine text restructured into a content-farm page (or None if too short)."""
    vocab = RU if rec["lang"] == "ru" else EN
    sents = _sentences(rec, rng)
    if len(sents) < 4:
        return None
    topic = _topic(sents, "this development" if vocab is EN else "это направление")
    out: list[str] = [" ".join(sents[:2])]
    rest = sents[2:]
    headings = rng.sample(vocab["headings"], 3)
    while rest:
        if rng.random() < 0.85:
            out.append(_fill(headings[len(out) % 3], vocab, topic, rng))
        k = rng.randint(2, 3)
        out.append(" ".join(rest[:k]))
        rest = rest[k:]
        if rng.random() < 0.6:
            if rng.random() < 0.4:
                out.append(rng.choice(vocab["intro_list"]))
            out.extend(_farm_list(vocab, rng))
        if rng.random() < 0.5:
            out.extend(_farm_table(vocab, rng))
        if len(out) > 14:
            break
    if rng.random() < 0.8:
        closing = [h for h in vocab["headings"] if "{" not in h]
        out.append(rng.choice(closing))
        out.append(_fill(rng.choice(vocab["closers"]), vocab, topic, rng))
    return "\n".join(out)


def human_structured(rec: dict, rng: random.Random) -> str | None:
    """A human text laid out with headings, lists and tables made of its own facts."""
    sents = _sentences(rec, rng)
    if len(sents) < 5:
        return None
    out: list[str] = []
    if rng.random() < 0.5:
        words = sents[0].rstrip(".!?").split()[: rng.randint(5, 10)]
        out.append(" ".join(words))
    i = 0
    while i < len(sents):
        k = rng.randint(1, 3)
        block = sents[i : i + k]
        i += k
        r = rng.random()
        if r < 0.25 and len(block) >= 1 and i < len(sents):
            # a sentence that introduces a list of the next sentences
            out.append(" ".join(block)[:-1] + ":" if block[-1].endswith(".") else " ".join(block))
            n = rng.randint(2, 4)
            out.extend(f"- {s}" for s in sents[i : i + n])
            i += n
        elif r < 0.40:
            facts = [s for s in sents if _NUM.search(s)][:5]
            if len(facts) >= 2:
                out.append(" ".join(block))
                out.extend(_fact_table(facts, rng))
            else:
                out.append(" ".join(block))
        elif r < 0.55 and i < len(sents):
            out.append(" ".join(sents[i].rstrip(".!?").split()[: rng.randint(4, 9)]))
            out.append(" ".join(block))
        else:
            out.append(" ".join(block))
    return "\n".join(out)


def _fact_table(facts: list[str], rng: random.Random) -> list[str]:
    header = rng.choice(
        [("Name", "Figure", "Detail"), ("Who", "Number", "Context"), ("Item", "Value", "Note")]
    )
    rows = [f"| {' | '.join(header)} |", "|---|---|---|"]
    for s in facts:
        names = [m.group(1) for m in _CAP_RUN.finditer(s)]
        nums = _NUM.findall(s)
        words = s.split()
        name = names[0] if names else " ".join(words[:2])
        rows.append(f"| {name} | {nums[0].rstrip('.,')} | {' '.join(words[: rng.randint(4, 8)])} |")
    return rows


def synthesize(records: list[dict], *, n_farm: int = 1600, n_human: int = 900) -> list[dict]:
    """Synthetic records from corpus records (see the module docstring)."""
    rng = random.Random(SEED)
    machine = [
        r
        for r in records
        if r["label"] == 1
        and r["source"] in ("l2r", "m4", "ru-arena")
        and r["lang"] in ("en", "ru")
    ]
    human = [r for r in records if r["label"] == 0 and r["source"] in ("l2r", "m4", "scrapinghub")]
    human_news = [r for r in human if r["subset"] in ("NewsArticle", "news", "id-newspaper")]
    out: list[dict] = []
    for kind, pool, n, make, label in (
        ("farm", machine, n_farm, farm_document, 1),
        ("structured-human", human_news + rng.sample(human, min(len(human), 600)), n_human,
         human_structured, 0),
    ):  # fmt: skip
        picks = rng.sample(pool, min(n, len(pool)))
        for rec in picks:
            text = make(rec, rng)
            if not text:
                continue
            out.append({
                "id": f"synthetic:{kind}:{rec['id']}",
                "group": rec["group"],
                "source": "synthetic",
                "subset": kind,
                "gen": rec["gen"],
                "lang": rec["lang"],
                "label": label,
                "text": text,
                "synthetic": True,
            })  # fmt: skip
    return out


if __name__ == "__main__":
    from detector_dev.corpus.filler import load_corpus

    for rec in synthesize(load_corpus())[::400]:
        print(f"=== {rec['id']} label={rec['label']}\n{rec['text']}\n")
