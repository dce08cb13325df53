"""Messages as the student reads them: questions, verdicts, summaries, within Telegram's limits.

Telegram counts a message's length in UTF-16 code units (an emoji can count twice), refuses a
text over 4096 and cuts long button labels; every text sent goes through :func:`fit` or
:func:`split`, every label through :func:`fit_label`, so no length ever becomes an API error.
Messages are plain text (no parse mode): a question or a file name can hold any character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from telegram.constants import MessageLimit

from bot.domain.deck import blank_gaps
from bot.domain.grading import ReasonCode, Verdict
from bot.services.views import AnswerOutcome, SessionSummary, ShownQuestion
from bot.tg.texts import Texts

MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)
MAX_LABEL = 60
ELLIPSIS = "…"
#: Options listed in a message when they are too long for buttons.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut (with « … ») to at most ``limit`` UTF-16 units; never empty."""
    if not text:
        return ELLIPSIS
    if utf16_len(text) <= limit:
        return text
    out: list[str] = []
    used = 1  # the ellipsis
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > limit:
            break
        out.append(char)
        used += width
    return "".join(out).rstrip() + ELLIPSIS


def display_prompt(prompt: str) -> str:
    """A stored prompt as students see it (a cloze's ``{{gap}}`` blanked out)."""
    return blank_gaps(prompt)


def fit_label(label: str) -> str:
    return fit(" ".join(label.split()), MAX_LABEL)


def split(lines: Iterable[str], limit: int = MAX_TEXT) -> list[str]:
    """Pack lines into as few messages as possible, each within ``limit`` (long lines are cut)."""
    messages: list[str] = []
    current = ""
    for raw in lines:
        line = fit(raw, limit) if raw else raw
        candidate = f"{current}\n{line}" if current else line
        if current and utf16_len(candidate) > limit:
            messages.append(current)
            current = line
        else:
            current = candidate
    if current or not messages:
        messages.append(current or ELLIPSIS)
    return messages


# --- Questions ---------------------------------------------------------------------------

_BUDGET_PROMPT = 3000  # room left for the header, the options and the verdict


def question_body(texts: Texts, question: ShownQuestion, *, letters: bool) -> str:
    """The question without its instruction line (kept when the message is edited)."""
    header = texts.question_header.format(deck=question.deck_title)
    if question.is_new:
        header += f" · {texts.question_new}"
    parts = [fit(header, 200), fit(question.prompt, _BUDGET_PROMPT)]
    if letters:
        per_option = max(40, (MAX_TEXT - 3500) // max(1, len(question.choices)))
        parts.append(
            "\n".join(
                fit(f"{LETTERS[i]}) {choice}", per_option)
                for i, choice in enumerate(question.choices[: len(LETTERS)])
            )
        )
    return "\n\n".join(parts)


def question_text(texts: Texts, question: ShownQuestion, *, letters: bool) -> str:
    if question.self_rated:
        instruction = texts.think_answer
    else:
        instruction = texts.pick_answer if question.choices else texts.type_answer
    return fit(f"{question_body(texts, question, letters=letters)}\n\n{instruction}")


def revealed_text(texts: Texts, question: ShownQuestion, outcome: AnswerOutcome) -> str:
    """A self-rated card with its answer revealed (``outcome`` is ``revealed``): the question,
    the answer, the student's attempt if they typed one, the source and the explanation, then
    « Tu la savais ? » above the three self-rating buttons."""
    lines = [texts.revealed_answer.format(answer=fit(outcome.correct_answer or "", 700))]
    if outcome.given:
        lines.append(texts.your_answer.format(given=fit(outcome.given, 600)))
    if outcome.source_sentence:
        source = around(outcome.source_sentence, outcome.correct_answer or "")
        lines.append(texts.source_line.format(source=source))
    if outcome.explanation:
        lines.append(texts.explanation_line.format(explanation=fit(outcome.explanation, 800)))
    body = question_body(texts, question, letters=False)
    return fit(f"{body}\n\n" + "\n".join(lines) + f"\n\n{texts.rate_yourself}")


def strip_instruction(text: str, all_texts: Iterable[Texts]) -> str:
    """The question body from a sent question message (its last line is the instruction)."""
    for t in all_texts:
        for instruction in (t.pick_answer, t.type_answer, t.think_answer, t.rate_yourself):
            if text.endswith(instruction):
                return text.removesuffix(instruction).rstrip()
    return text


def verdict_text(texts: Texts, outcome: AnswerOutcome, *, show_given: bool) -> str:
    """The verdict block: right or wrong, the expected answer, the sentence of the text."""
    answer = fit(outcome.correct_answer or "", 500)
    verdict = outcome.verdict
    if outcome.self_rated:
        # The student's own verdict on an answer they have read: said back, the answer kept
        # in the chat (the message showing it becomes this one).
        said = {
            Verdict.CORRECT: texts.self_knew,
            Verdict.PARTIAL: texts.self_partly,
        }.get(verdict or Verdict.WRONG, texts.self_did_not_know)
        lines = [said, texts.revealed_answer.format(answer=answer)]
        if outcome.leech_suspended:
            lines.append(texts.leech)
        return "\n".join(lines)
    if outcome.dont_know:
        lines = [texts.verdict_dont_know.format(answer=answer)]
    elif verdict is Verdict.CORRECT:
        lines = [texts.verdict_correct]
    elif verdict is Verdict.CLOSE:
        lines = [texts.verdict_close.format(answer=answer)]
    elif verdict is Verdict.PARTIAL:
        lines = [texts.verdict_partial.format(answer=answer)]
    else:
        lines = [texts.verdict_wrong.format(answer=answer)]
    if show_given and outcome.given and verdict is not Verdict.CORRECT and not outcome.dont_know:
        lines.append(texts.your_answer.format(given=fit(outcome.given, 300)))
    reason = outcome.reason
    # « Ce n'est pas la bonne réponse » would repeat the verdict line: the others explain it.
    if reason and not outcome.dont_know and reason.code is not ReasonCode.NOT_THE_ANSWER:
        said = texts.catalogue.reason(reason)
        lines.append(texts.reason_line.format(reason=fit(said, 600)))
    if outcome.source_sentence:
        source = around(outcome.source_sentence, outcome.correct_answer or "")
        lines.append(texts.source_line.format(source=source))
    if outcome.explanation:
        lines.append(texts.explanation_line.format(explanation=fit(outcome.explanation, 800)))
    if outcome.leech_suspended:
        lines.append(texts.leech)
    return "\n".join(lines)


#: Characters of the source sentence shown under a verdict (around the answer).
SOURCE_CHARS = 220


def around(sentence: str, answer: str, limit: int = SOURCE_CHARS) -> str:
    """The sentence, or its part around ``answer`` when it is long: « …words around it… »."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    at = sentence.casefold().find(answer.casefold()) if answer else -1
    if at < 0:
        return fit(sentence, limit)
    start = max(0, at + len(answer) // 2 - limit // 2)
    end = min(len(sentence), start + limit)
    start = max(0, end - limit)
    if start > 0:
        space = sentence.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    if end < len(sentence):
        space = sentence.rfind(" ", at + len(answer), end)
        end = space if space > 0 else end
    return ("…" if start > 0 else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


def next_step_text(texts: Texts, outcome: AnswerOutcome, question_text: str) -> str:
    """One message after a counted answer: its verdict, then the next question (or the
    summary that ends the run), so an answer costs one message instead of two."""
    verdict = verdict_text(texts, outcome, show_given=True)
    room = MAX_TEXT - utf16_len(question_text) - 2
    return fit(f"{fit(verdict, max(room, 300))}\n\n{question_text}")


# --- Sessions and dates ------------------------------------------------------------------


def when(texts: Texts, instant: dt.datetime, zone: str, now: dt.datetime) -> str:
    """« aujourd'hui à 18:00 », « demain à 07:30 », « le 12/03 à 09:00 » in the student's zone
    (« today at 18:00 », « on 12 Mar at 09:00 »: the catalogue's ``format.*`` patterns)."""
    tz = ZoneInfo(zone)
    local, today = instant.astimezone(tz), now.astimezone(tz).date()
    time = texts.catalogue.time(local)
    if local.date() <= today:
        return texts.when_today.format(time=time)
    if local.date() == today + dt.timedelta(days=1):
        return texts.when_tomorrow.format(time=time)
    date = texts.catalogue.date(local.date(), "format.day_month")
    return texts.when_date.format(date=date, time=time)


def summary_text(texts: Texts, summary: SessionSummary, zone: str, now: dt.datetime) -> str:
    if summary.answered:
        score = summary.correct / summary.answered
        praise = (
            texts.praise_high
            if score >= 0.8
            else texts.praise_mid
            if score >= 0.5
            else texts.praise_low
        )
        head = texts.session_summary(summary.correct, answered=summary.answered)
        lines = [f"{head} {praise}"]
    else:
        lines = [texts.session_empty]
    if summary.next_due is not None and summary.next_due > now:
        lines.append(texts.nothing_until.format(when=when(texts, summary.next_due, zone, now)))
    if summary.more_new and not summary.practice:
        lines.append(texts.more_new_offer)
    return "\n".join(lines)


def nothing_text(texts: Texts, summary: SessionSummary, zone: str, now: dt.datetime) -> str:
    """/quiz with nothing to study: say when something comes back."""
    lines = [texts.nothing_to_study]
    if summary.next_due is not None and summary.next_due > now:
        lines.append(texts.nothing_until.format(when=when(texts, summary.next_due, zone, now)))
    if summary.more_new and not summary.practice:
        lines.append(texts.more_new_offer)
    return "\n".join(lines)


def reminder_label(texts: Texts, reminder: dt.time | None, paused: bool) -> str:
    if reminder is None:
        return texts.reminder_off
    label = texts.catalogue.time(reminder)
    return texts.reminders_paused_label.format(time=label) if paused else label
