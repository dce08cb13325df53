"""The progress chart as a PNG: answers per day with accuracy, and the 14-day due forecast.

matplotlib is imported here only, with the Agg backend, and the Telegram layer calls
:func:`render_chart` in a worker thread so the event loop never waits on it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from bot.domain.stats import StudentStats
from bot.i18n import catalogue

WIDTH_PX, HEIGHT_PX, DPI = 1000, 700, 100


@dataclass(frozen=True, slots=True)
class ChartData:
    """Exactly what is drawn, taken from the same figures as the text."""

    days: tuple[str, ...]
    answers: tuple[int, ...]
    accuracy: tuple[float | None, ...]
    forecast_days: tuple[str, ...]
    forecast: tuple[int, ...]


def chart_data(stats: StudentStats, language: str = "fr") -> ChartData:
    t = catalogue(language)
    return ChartData(
        days=tuple(t.date(a.day, "format.day_month") for a in stats.history),
        answers=tuple(a.answers for a in stats.history),
        accuracy=tuple(a.accuracy for a in stats.history),
        forecast_days=tuple(t.date(day, "format.day_month") for day, _ in stats.forecast),
        forecast=tuple(count for _, count in stats.forecast),
    )


def render_chart(stats: StudentStats, language: str = "fr") -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    t = catalogue(language)
    data = chart_data(stats, language)
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    top, bottom = fig.subplots(2, 1)
    x = range(len(data.days))
    top.bar(x, data.answers, color="#4C72B0", label=t.text("chart.answers"))
    top.set_title(t.text("chart.answers_title"))
    top.set_xticks(list(x)[::3], data.days[::3])
    top.set_ylabel(t.text("chart.answers"))
    acc_axis = top.twinx()
    points = [(i, a * 100) for i, a in enumerate(data.accuracy) if a is not None]
    if points:
        xs, ys = zip(*points, strict=True)
        acc_axis.plot(xs, ys, color="#DD8452", marker="o", label=t.text("chart.right"))
    acc_axis.set_ylim(0, 105)
    acc_axis.set_ylabel(t.text("chart.right_axis"))
    fx = range(len(data.forecast_days))
    bottom.bar(fx, data.forecast, color="#55A868")
    bottom.set_title(t.text("chart.due_title"))
    bottom.set_xticks(list(fx), data.forecast_days, rotation=45)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
