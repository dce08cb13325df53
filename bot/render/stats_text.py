"""The /stats text, in French and English (the chart shows the same figures)."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.deck import blank_gaps
from bot.render.plural import count_en, count_fr
from bot.services.stats import StatsReport

_TEXTS = {
    "fr": {
        "title": "📊 Tes progrès",
        "cards": "Cartes : {new} nouvelles · {learning} en cours · {known} connues",
        "answers": "Réponses : {a7} sur 7 jours ({p7}) · {a30} sur 30 jours ({p30})",
        "streak": "Série : {days} d'affilée (record : {best})",
        "due": "À revoir : {today} aujourd'hui · {tomorrow} demain · {week} dans les 7 jours",
        "weak": "Questions à retravailler :",
        "weak_line": "• {prompt} ({errors} sur {answers})",
        "none": "—",
    },
    "en": {
        "title": "📊 Your progress",
        "cards": "Cards: {new} new · {learning} learning · {known} known",
        "answers": "Answers: {a7} in 7 days ({p7}) · {a30} in 30 days ({p30})",
        "streak": "Streak: {days} in a row (best: {best})",
        "due": "Due: {today} today · {tomorrow} tomorrow · {week} within 7 days",
        "weak": "Questions to work on:",
        "weak_line": "• {prompt} ({errors} wrong out of {answers})",
        "none": "—",
    },
}

PROMPT_MAX = 80

#: Per language: how to count days and wrong answers.
_COUNTS: dict[str, tuple[Callable[[int], str], Callable[[int], str]]] = {
    "fr": (lambda n: count_fr(n, "jour"), lambda n: count_fr(n, "erreur")),
    "en": (lambda n: count_en(n, "day"), str),
}


def _percent(value: float | None, none: str) -> str:
    return none if value is None else f"{round(value * 100)} %"


def _short(prompt: str) -> str:
    prompt = blank_gaps(prompt)
    return prompt if len(prompt) <= PROMPT_MAX else prompt[: PROMPT_MAX - 1] + "…"


def render_stats(report: StatsReport, language: str = "fr") -> str:
    if language not in _TEXTS:
        language = "fr"
    t = _TEXTS[language]
    days, errors = _COUNTS[language]
    f = report.figures
    lines = [
        t["title"],
        t["cards"].format(new=f.new, learning=f.learning, known=f.known),
        t["answers"].format(
            a7=f.answers_7d,
            p7=_percent(f.accuracy_7d, t["none"]),
            a30=f.answers_30d,
            p30=_percent(f.accuracy_30d, t["none"]),
        ),
        t["streak"].format(days=days(f.current_streak), best=f.best_streak),
        t["due"].format(today=f.due_today, tomorrow=f.due_tomorrow, week=f.due_week),
    ]
    if report.weakest:
        lines.append(t["weak"])
        lines.extend(
            t["weak_line"].format(
                prompt=_short(w.prompt), errors=errors(w.wrong), answers=w.answers
            )
            for w in report.weakest
        )
    return "\n".join(lines)
