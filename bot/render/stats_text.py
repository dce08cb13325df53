"""The /stats text, in French and English (the chart shows the same figures): ``stats.*`` keys
of the catalogues (:mod:`bot.i18n`)."""

from __future__ import annotations

from bot.domain.deck import blank_gaps
from bot.i18n import Catalogue, catalogue
from bot.services.stats import StatsReport

PROMPT_MAX = 80


def _percent(value: float | None, t: Catalogue) -> str:
    if value is None:
        return t.text("stats.none")
    return t.text("stats.right", percent=t.percent(value))


def _short(prompt: str) -> str:
    prompt = blank_gaps(prompt)
    return prompt if len(prompt) <= PROMPT_MAX else prompt[: PROMPT_MAX - 1] + "…"


def render_stats(report: StatsReport, language: str = "fr") -> str:
    t = catalogue(language)
    f = report.figures
    lines = [
        t.text("stats.title"),
        t.text(
            "stats.cards",
            new=t.plural("stats.new", f.new),
            learning=t.number(f.learning),
            known=t.plural("stats.known", f.known),
        ),
        t.text(
            "stats.answers",
            a7=t.number(f.answers_7d),
            p7=_percent(f.accuracy_7d, t),
            a30=t.number(f.answers_30d),
            p30=_percent(f.accuracy_30d, t),
        ),
        t.text(
            "stats.streak",
            current=t.plural("stats.days", f.current_streak),
            best=t.plural("stats.days", f.best_streak),
        ),
        t.text(
            "stats.due",
            today=t.number(f.due_today),
            tomorrow=t.number(f.due_tomorrow),
            week=t.number(f.due_week),
        ),
    ]
    if report.weakest:
        lines.append(t.text("stats.weak"))
        lines.extend(
            t.text(
                "stats.weak_line",
                prompt=_short(w.prompt),
                wrong=t.plural("stats.errors", w.wrong),
                answers=t.number(w.answers),
            )
            for w in report.weakest
        )
    return "\n".join(lines)
