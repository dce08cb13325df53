"""The Telegram layer's pure pieces: strings, limits, callback data, parsing, the processor."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import re
import string

import pytest
from telegram import Chat, Message, Update, User

from bot.domain.deck import QuestionKind
from bot.domain.grading import SelfRating
from bot.services.views import ShownQuestion
from bot.tg import commands, keyboards, render
from bot.tg.concurrency import PerUserUpdateProcessor
from bot.tg.handlers.preferences import canonical_zone, parse_time
from bot.tg.texts import EN, FR, Texts, all_texts

UTC = dt.UTC


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_use_the_same_placeholders() -> None:
    for field in dataclasses.fields(Texts):
        fr, en = getattr(FR, field.name), getattr(EN, field.name)
        if isinstance(fr, str):
            assert fields_of(fr) == fields_of(en), field.name
            assert fr.strip() and en.strip(), field.name


def test_every_command_is_described_in_every_language() -> None:
    names = {c.name for c in commands.COMMANDS}
    for t in all_texts():
        assert set(t.command_help) == names
        for command in commands.bot_commands(t, teacher=True):
            assert re.fullmatch(r"[a-z0-9_]{1,32}", command.command)
            assert 1 <= len(command.description) <= 256


def test_help_lists_the_menu() -> None:
    text = commands.help_text(FR)
    for command in commands.bot_commands(FR):
        assert f"/{command.command} — {command.description}" in text
    assert "/classe" not in text and "/classe" in commands.help_text(FR, teacher=True)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("court", 10, "court"),
        ("abcdefghij", 5, "abcd…"),
        ("😀😀😀", 5, "😀😀…"),  # an emoji counts twice in UTF-16
        ("", 5, "…"),
    ],
)
def test_fit(text: str, limit: int, expected: str) -> None:
    assert render.fit(text, limit) == expected
    assert render.utf16_len(render.fit(text, limit)) <= limit


def test_split_packs_lines_within_the_limit() -> None:
    lines = [f"ligne {i} " + "x" * 50 for i in range(300)] + ["y" * 10_000]
    parts = render.split(lines, 1000)
    assert all(render.utf16_len(p) <= 1000 for p in parts)
    assert parts[0].startswith("ligne 0") and parts[-1].startswith("y")
    assert sum(p.count("ligne") for p in parts) == 300


def shown(kind: QuestionKind, choices: tuple[str, ...], token: str = "Ab-_9xYz") -> ShownQuestion:
    return ShownQuestion(
        token=token,
        question_id=1,
        deck_slug="d",
        deck_title="Paquet",
        kind=kind,
        prompt="Question ?",
        choices=choices,
        is_new=True,
        practice=False,
        session_answered=0,
        session_correct=0,
    )


def all_buttons(markup: keyboards.InlineKeyboardMarkup) -> list[tuple[str, str]]:
    return [(b.text, str(b.callback_data)) for row in markup.inline_keyboard for b in row]


def test_every_callback_data_fits_and_matches_one_pattern() -> None:
    from bot.services.views import DeckChoiceView

    deck = DeckChoiceView("d" * 128, "T" * 300, None, "fr", True, 3)
    markups = [
        keyboards.question_keyboard(FR, shown(QuestionKind.CHOICE, ("a", "b", "c", "d"))),
        keyboards.question_keyboard(FR, shown(QuestionKind.TRUE_FALSE, ("vrai", "faux"))),
        keyboards.question_keyboard(EN, shown(QuestionKind.OPEN, ())),
        keyboards.question_keyboard(FR, shown(QuestionKind.SELF_RATED, ())),
        keyboards.self_rating_keyboard(FR, "T" * 16),
        keyboards.self_rating_keyboard(EN, "T" * 16),
        keyboards.start_quiz(FR),
        keyboards.reminder_prompt(FR),
        keyboards.decks(FR, [deck], onboarding=True),
        keyboards.decks(FR, [deck], onboarding=False),
        keyboards.reminder_times(FR, onboarding=True),
        keyboards.zones(FR, onboarding=False),
        keyboards.new_cards(FR),
        keyboards.languages(FR, all_texts()),
        keyboards.settings_menu(FR),
        keyboards.forget_confirm(FR),
        keyboards.class_overview(EN),
    ]
    patterns = [re.compile(p) for p in keyboards.PATTERNS.values()]
    for markup in markups:
        for label, data in all_buttons(markup):
            assert len(data.encode()) <= 64
            assert sum(bool(p.match(data)) for p in patterns) == 1, data
            assert render.utf16_len(label) <= render.MAX_LABEL


def test_long_choices_become_letters() -> None:
    question = shown(QuestionKind.CHOICE, ("x" * 200, "court", "y" * 41))
    assert keyboards.uses_letters(question)
    labels = [label for label, _ in all_buttons(keyboards.question_keyboard(FR, question))]
    assert labels == ["A", "B", "C", "⏹ Stop"]
    text = render.question_text(FR, question, letters=True)
    assert "\nA) xxx" in text and "\nB) court" in text
    assert render.strip_instruction(text, all_texts()) == render.question_body(
        FR, question, letters=True
    )


def test_true_false_buttons_are_translated() -> None:
    question = shown(QuestionKind.TRUE_FALSE, ("vrai", "faux"))
    labels = [label for label, _ in all_buttons(keyboards.question_keyboard(EN, question))]
    assert labels == ["True", "False", "⏹ Stop"]


def test_a_self_rated_card_shows_the_answer_button_then_three_ratings() -> None:
    question = shown(QuestionKind.SELF_RATED, ())
    labels = [label for label, _ in all_buttons(keyboards.question_keyboard(EN, question))]
    assert labels == ["👀 Show the answer", "⏹ Stop"]
    rating = all_buttons(keyboards.self_rating_keyboard(FR, question.token))
    assert [label for label, _ in rating] == [
        "✅ Je savais",
        "🤏 En partie",
        "❌ Je ne savais pas",
        "⏹ Stop",
    ]
    assert {keyboards.SELF_RATINGS[data[-1]] for _, data in rating[:3]} == set(SelfRating)
    text = render.question_text(FR, question, letters=False)
    assert text.endswith("puis touche « Voir la réponse ».")
    assert render.strip_instruction(text, all_texts()) == render.question_body(
        FR, question, letters=False
    )


def test_when_in_the_students_zone() -> None:
    now = dt.datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    assert render.when(FR, now + dt.timedelta(minutes=20), "Europe/Paris", now) == (
        "aujourd'hui à 23:50"
    )
    assert render.when(FR, now + dt.timedelta(minutes=40), "Europe/Paris", now) == (
        "demain à 00:10"
    )
    assert render.when(FR, now, "America/Montreal", now) == "aujourd'hui à 18:30"
    assert render.when(EN, now + dt.timedelta(days=3), "Europe/Paris", now) == (
        "on 13 Mar at 23:30"  # the month by name: no 13/03 vs 03/13
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("18:30", dt.time(18, 30)),
        ("7h45", dt.time(7, 45)),
        ("21h", dt.time(21)),
        ("9", dt.time(9)),
    ],
)
def test_parse_time(typed: str, expected: dt.time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["", "midi", "25:00", "18:75", "18:3"])
def test_parse_time_refuses(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_time(typed)


def test_canonical_zone() -> None:
    assert canonical_zone(" europe/paris ") == "Europe/Paris"
    assert canonical_zone("america/new york") == "America/New_York"
    assert canonical_zone("Mars/Olympus") == "Mars/Olympus"


def update_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "Élève", False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, dt.datetime.now(UTC), chat, from_user=user, text="x")
    return Update(update_id, message=message)


async def test_processor_orders_one_user_and_overlaps_two() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=8)
    log: list[str] = []
    gate = asyncio.Event()

    async def work(name: str, wait: bool) -> None:
        log.append(f"start {name}")
        if wait:
            await gate.wait()
        log.append(f"end {name}")

    async with processor:
        tasks = [
            asyncio.create_task(processor.process_update(update_from(1, 1), work("a1", True))),
            asyncio.create_task(processor.process_update(update_from(1, 2), work("a2", False))),
            asyncio.create_task(processor.process_update(update_from(2, 3), work("b1", False))),
        ]
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert log == ["start a1", "start b1", "end b1"]  # b is not held up by a
        assert processor.active_users == 1
        gate.set()
        await asyncio.gather(*tasks)
    assert log[3:] == ["end a1", "start a2", "end a2"]
    assert processor.active_users == 0
