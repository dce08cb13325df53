"""The /stats text, in French and English (the chart shows the same figures)."""

from __future__ import annotations

from typing import Any

from bot.domain.deck import blank_gaps
from bot.render.plural import count_en, count_fr
from bot.services.stats import StatsReport

_TEXTS = {
    "fr": {
        "title": "📊 Tes progrès",
        "cards": "Questions : {new} · {learning} en cours · {known}",
        "new": ("nouvelle", "nouvelles"),
        "known": ("connue", "connues"),
        "answers": "Réponses : {a7} en 7 jours ({p7}) · {a30} en 30 jours ({p30})",
        "right": "{percent} de justes",
        "streak": "Série : {current} d'affilée (record : {best})",
        "days": ("jour", "jours"),
        "due": "À revoir : {today} aujourd'hui · {tomorrow} demain · {week} dans les 7 jours",
        "weak": "Questions à retravailler :",
        "weak_line": "• {prompt} ({wrong} sur {answers})",
        "errors": ("erreur", "erreurs"),
        "none": "—",
    },
    "en": {
        "title": "📊 Your progress",
        "cards": "Questions: {new} · {learning} learning · {known}",
        "new": ("new", "new"),
        "known": ("known", "known"),
        "answers": "Answers: {a7} in 7 days ({p7}) · {a30} in 30 days ({p30})",
        "right": "{percent} right",
        "streak": "Streak: {current} in a row (best: {best})",
        "days": ("day", "days"),
        "due": "Due: {today} today · {tomorrow} tomorrow · {week} within 7 days",
        "weak": "Questions to work on:",
        "weak_line": "• {prompt} ({wrong} out of {answers})",
        "errors": ("wrong", "wrong"),
        "none": "—",
    },
}


def _count(n: int, forms: tuple[str, str] | str, language: str) -> str:
    """« 1 jour », « 0 jour », « 2 jours » (French: 0 and 1 singular); « 0 days » in English."""
    one, many = forms if isinstance(forms, tuple) else (forms, forms)
    return (count_fr if language == "fr" else count_en)(n, one, many)


PROMPT_MAX = 80


def _percent(value: float | None, t: dict[str, object]) -> str:
    if value is None:
        return str(t["none"])
    return str(t["right"]).format(percent=f"{round(value * 100)} %")


def _short(prompt: str) -> str:
    prompt = blank_gaps(prompt)
    return prompt if len(prompt) <= PROMPT_MAX else prompt[: PROMPT_MAX - 1] + "…"


def render_stats(report: StatsReport, language: str = "fr") -> str:
    language = language if language in _TEXTS else "fr"
    t: dict[str, Any] = _TEXTS[language]
    f = report.figures
    lines = [
        t["title"],
        t["cards"].format(
            new=_count(f.new, t["new"], language),
            learning=f.learning,
            known=_count(f.known, t["known"], language),
        ),
        t["answers"].format(
            a7=f.answers_7d,
            p7=_percent(f.accuracy_7d, t),
            a30=f.answers_30d,
            p30=_percent(f.accuracy_30d, t),
        ),
        t["streak"].format(
            current=_count(f.current_streak, t["days"], language),
            best=_count(f.best_streak, t["days"], language),
        ),
        t["due"].format(today=f.due_today, tomorrow=f.due_tomorrow, week=f.due_week),
    ]
    if report.weakest:
        lines.append(t["weak"])
        lines.extend(
            t["weak_line"].format(
                prompt=_short(w.prompt),
                wrong=_count(w.wrong, t["errors"], language),
                answers=w.answers,
            )
            for w in report.weakest
        )
    return "\n".join(lines)
