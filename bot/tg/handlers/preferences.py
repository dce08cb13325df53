"""/reglages: reminder time (or none), time zone, new questions per day, language, and the
desired retention (with the daily workload each choice costs).

Buttons offer common choices; « Autre… » asks for a typed value with a forced reply, and the
reply is recognised by the prompt it answers (no state kept between the two messages). Any
IANA zone is accepted, whatever its case. While a time or a zone is being chosen (its buttons
or prompt the bot's last word, :attr:`UserState.awaiting`), a plain message is taken as the
value too (« 11h08 », « 7h », « 8 h 15 »); anything else gets a hint and the question again.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from typing import Any

from telegram import BotCommandScopeChat, ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.services.clock import utcnow
from bot.services.optimizer import RetentionChoices
from bot.services.views import InvalidSetting, UserView
from bot.tg import commands, keyboards, render
from bot.tg.concurrency import run_sync
from bot.tg.context import AwaitedSetting, BotApplication, BotContext, Student
from bot.tg.handlers import start
from bot.tg.messaging import answer_query, edit_text, query_message_id, send
from bot.tg.texts import Texts, all_texts

#: The onboarding's typed prompts start with their step number.
ONBOARDING_PREFIX = {"time": "2/3 · ", "zone": "3/3 · "}
TIME_RE = re.compile(r"^\s*(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?)?\s*$")


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.SETTINGS.names, show))
    pattern = keyboards.PATTERNS
    app.add_handler(CallbackQueryHandler(menu, pattern=pattern[keyboards.MENU]))
    app.add_handler(CallbackQueryHandler(choose_time, pattern=pattern[keyboards.TIME]))
    app.add_handler(CallbackQueryHandler(ask_typed, pattern=pattern[keyboards.TIME_OTHER]))
    app.add_handler(CallbackQueryHandler(choose_zone, pattern=pattern[keyboards.ZONE]))
    app.add_handler(CallbackQueryHandler(ask_typed, pattern=pattern[keyboards.ZONE_OTHER]))
    app.add_handler(CallbackQueryHandler(choose_cards, pattern=pattern[keyboards.CARDS]))
    app.add_handler(CallbackQueryHandler(choose_language, pattern=pattern[keyboards.LANGUAGE]))
    app.add_handler(CallbackQueryHandler(choose_retention, pattern=pattern[keyboards.RETENTION]))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & _TypedReply(), typed_reply))
    # A plain message while a time or a zone is awaited (a document stays a teacher's upload).
    awaited = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.Document.ALL
    app.add_handler(MessageHandler(awaited & _Awaited(app), typed_value))


async def show(update: Update, context: BotContext) -> None:
    """/reglages: the current settings and what can be changed."""
    student = await context.student(update)
    t = student.texts
    await send(context, student.chat_id, summary(t, student.user), keyboards.settings_menu(t))


async def menu(update: Update, context: BotContext) -> None:
    """A settings menu button: ``set:<rem|tz|nc|lg|dk|ret|home>``."""
    student = await context.student(update)
    await answer_query(update)
    t = student.texts
    which = _arg(update, 1)
    if which in ("rem", "tz"):
        kind = "time" if which == "rem" else "zone"
        text, markup = _setting_question(t, kind)
        context.state.awaiting = AwaitedSetting(kind, onboarding=False)
    elif which == "nc":
        text, markup = t.ask_cards, keyboards.new_cards(t)
    elif which == "lg":
        text, markup = t.ask_language, keyboards.languages(t, all_texts())
    elif which == "dk":
        choices = await run_sync(context.users.decks, student.id)
        text = t.decks_title if choices else t.no_decks
        markup = keyboards.decks(t, choices, onboarding=False)
    elif which == "ret":
        retention = await run_sync(context.optimizer.retention_choices, student.id)
        text, markup = retention_text(t, retention), keyboards.retention(t, retention)
    else:
        text, markup = summary(t, student.user), keyboards.settings_menu(t)
    await _show(update, context, student, text, markup)


async def choose_time(update: Update, context: BotContext) -> None:
    """``rt:<HHMM|off>:<onboarding>``: the daily reminder time, or none."""
    value = _arg(update, 1)
    reminder = None if value == "off" else dt.time(int(value[:2]), int(value[2:]))
    student = await _update(update, context, reminder_time=reminder)
    await answer_query(update)
    if student is None:
        return
    if _arg(update, 2) == "1":
        await start.send_zone_step(context, student, query_message_id(update))
    else:
        await show_saved(update, context, student)


async def choose_zone(update: Update, context: BotContext) -> None:
    """``tz:<zone>:<onboarding>``: one of the offered time zones."""
    student = await _update(update, context, timezone=_arg(update, 1))
    await answer_query(update)
    if student is None:
        return
    if _arg(update, 2) == "1":
        await start.finish(context, student, query_message_id(update))
    else:
        await show_saved(update, context, student)


async def choose_cards(update: Update, context: BotContext) -> None:
    """``nc:<n>``: new questions per day."""
    student = await _update(update, context, new_cards_per_day=int(_arg(update, 1)))
    await answer_query(update)
    if student is not None:
        await show_saved(update, context, student)


async def choose_language(update: Update, context: BotContext) -> None:
    """``lg:<fr|en>``: the bot's language (and this chat's command menu)."""
    student = await _update(update, context, language=_arg(update, 1))
    await answer_query(update)
    if student is None:
        return
    t = student.texts
    teacher = context.is_teacher(update)
    await context.bot.set_my_commands(
        commands.bot_commands(t, teacher=teacher), scope=BotCommandScopeChat(student.chat_id)
    )
    text = f"{t.language_changed}\n\n{summary(t, student.user)}"
    await _show(update, context, student, text, keyboards.settings_menu(t))


async def choose_retention(update: Update, context: BotContext) -> None:
    """``rr:<percent>``: the desired retention (80 to 95 %)."""
    value = int(_arg(update, 1)) / 100
    student = await _update(update, context, desired_retention=value)
    await answer_query(update)
    if student is not None:
        await show_saved(update, context, student)


async def ask_typed(update: Update, context: BotContext) -> None:
    """« Autre… »: ask for a typed time zone or time, as a forced reply."""
    student = await context.student(update)
    await answer_query(update)
    kind = "zone" if _arg(update, 0) == keyboards.ZONE_OTHER else "time"
    await send_prompt(context, student, kind, onboarding=_arg(update, 1) == "1")


async def send_prompt(
    context: BotContext, student: Student, kind: str, *, onboarding: bool
) -> None:
    t = student.texts
    text = _prompt(t, kind)
    if onboarding:
        text = ONBOARDING_PREFIX[kind] + text
    placeholder = "Europe/Paris" if kind == "zone" else "18:30"
    markup = ForceReply(selective=True, input_field_placeholder=placeholder)
    await send(context, student.chat_id, text, markup)
    context.state.awaiting = AwaitedSetting(kind, onboarding=onboarding, prompt=True)


async def typed_reply(update: Update, context: BotContext) -> None:
    """The reply to « écris ton fuseau / ton heure »: check it, save it, go on."""
    message = update.effective_message
    assert message is not None and message.text is not None
    kind, onboarding = _TypedReply.prompt_of(message) or ("zone", False)
    student = await context.student(update)
    await _take(context, student, AwaitedSetting(kind, onboarding, prompt=True), message.text)


async def typed_value(update: Update, context: BotContext) -> None:
    """A plain message while a time or a zone is awaited: taken as its value; a sticker, a
    photo… gets what is expected, and the question again."""
    message = update.effective_message
    assert message is not None
    awaited = context.state.awaiting
    assert awaited is not None  # the filter saw it
    student = await context.student(update)
    if message.text is None:
        await send(context, student.chat_id, student.texts.media_setting)
        await ask_again(context, student, awaited)
        return
    await _take(context, student, awaited, message.text)


async def ask_again(context: BotContext, student: Student, awaited: AwaitedSetting) -> None:
    """The question of ``awaited`` again: its typed prompt, or its buttons."""
    if awaited.prompt:
        await send_prompt(context, student, awaited.kind, onboarding=awaited.onboarding)
    elif awaited.onboarding and awaited.kind == "time":
        await start.send_reminder_step(context, student, None)
    elif awaited.onboarding:
        await start.send_zone_step(context, student, None)
    else:
        text, markup = _setting_question(student.texts, awaited.kind)
        await send(context, student.chat_id, text, markup)
        context.state.awaiting = awaited


def _setting_question(t: Texts, kind: str) -> tuple[str, InlineKeyboardMarkup]:
    """The settings menu's question for the reminder time (``time``) or the zone, with its
    buttons."""
    if kind == "time":
        return t.ask_reminder, keyboards.reminder_times(t, onboarding=False)
    return t.ask_timezone, keyboards.zones(t, onboarding=False)


async def _take(
    context: BotContext, student: Student, awaited: AwaitedSetting, typed: str
) -> None:
    """Check the typed value, save it and go on; or say why not and ask again."""
    kind, onboarding, t = awaited.kind, awaited.onboarding, student.texts
    try:
        if kind == "zone":
            updated = await _save(context, student, timezone=canonical_zone(typed))
        else:
            updated = await _save(context, student, reminder_time=parse_time(typed))
    except (InvalidSetting, ValueError):
        value = render.fit(typed, 64)
        if kind == "zone":
            bad = t.bad_timezone.format(value=value)
        elif awaited.prompt:
            bad = t.bad_time.format(value=value)
        else:  # not an answer to « écris l'heure »: maybe not meant as a time at all
            bad = t.not_a_time.format(value=value)
        await send(context, student.chat_id, bad)
        await ask_again(context, student, awaited)
        return
    if onboarding and kind == "time":
        await start.send_zone_step(context, updated, None)
    elif onboarding:
        await start.finish(context, updated, None)
    else:
        text = f"{t.saved}\n\n{summary(updated.texts, updated.user)}"
        await send(context, student.chat_id, text, keyboards.settings_menu(updated.texts))


# --- helpers ---------------------------------------------------------------------------------


def summary(t: Texts, user: UserView) -> str:
    return t.settings_title.format(
        reminder=render.reminder_label(t, user.reminder_time, user.reminders_paused),
        timezone=user.timezone,
        cards=user.new_cards_per_day,
        language=t.language_name,
        retention=keyboards.percent(user.desired_retention),
    )


def retention_text(t: Texts, choices: RetentionChoices) -> str:
    """The retention screen: each choice with its questions and minutes per day."""
    lines = [
        t.retention_line(
            round(w.questions_per_day),
            mark="👉" if w.current else "•",
            percent=keyboards.percent(w.desired_retention),
            minutes=max(1, round(w.minutes_per_day)),
        )
        for w in choices.workloads
    ]
    personal = (
        t.retention_default
        if choices.fitted_items is None
        else t.retention_personal.format(items=choices.fitted_items)
    )
    return "\n".join([t.ask_retention, *lines, "", personal])


async def show_saved(update: Update, context: BotContext, student: Student) -> None:
    t = student.texts
    text = f"{t.saved}\n\n{summary(t, student.user)}"
    await _show(update, context, student, text, keyboards.settings_menu(t))


async def _show(
    update: Update,
    context: BotContext,
    student: Student,
    text: str,
    markup: InlineKeyboardMarkup,
) -> None:
    message_id = query_message_id(update)
    if message_id is None:
        await send(context, student.chat_id, text, markup)
    else:
        await edit_text(context, student.chat_id, message_id, text, markup)


async def _update(update: Update, context: BotContext, **changes: Any) -> Student | None:
    """Save one setting from a button; a refused value gets a toast and None."""
    student = await context.student(update)
    try:
        return await _save(context, student, **changes)
    except InvalidSetting:
        await answer_query(update, student.texts.bad_setting)
        return None


async def _save(context: BotContext, student: Student, **changes: Any) -> Student:
    """``UserService.update`` with the given keywords (``timezone=``, ``reminder_time=``…)."""
    user = await run_sync(context.users.update, student.id, utcnow(), **changes)
    return student.updated(user)


def _arg(update: Update, index: int) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.split(":")[index]


def _prompt(t: Texts, kind: str) -> str:
    return t.ask_timezone_typed if kind == "zone" else t.ask_time_typed


@functools.cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def canonical_zone(text: str) -> str:
    """« europe/paris », « Europe/Paris », « America/New York » → the IANA name, else as typed."""
    folded = "_".join(text.strip().split()).casefold()
    return _zones_by_folded_name().get(folded, text.strip())


def parse_time(text: str) -> dt.time:
    """« 18:30 », « 18h30 », « 18h », « 7 » → a time; ValueError otherwise."""
    match = TIME_RE.match(text)
    if match is None:
        raise ValueError(text)
    return dt.time(int(match.group(1)), int(match.group(2) or 0))


class _Awaited(filters.MessageFilter):
    """A message from a student the bot has just asked for a time or a zone
    (:attr:`UserState.awaiting`, read from this process's ``user_data``)."""

    def __init__(self, app: BotApplication) -> None:
        super().__init__()
        self._app = app

    def filter(self, message: Message) -> bool:
        sender = message.from_user
        if sender is None:
            return False
        state = self._app.user_data.get(sender.id)
        return state is not None and state.awaiting is not None


class _TypedReply(filters.MessageFilter):
    """A reply to one of our « type your time zone / time » prompts (in any language)."""

    def filter(self, message: Message) -> bool:
        return self.prompt_of(message) is not None

    @staticmethod
    def prompt_of(message: Message) -> tuple[str, bool] | None:
        """(``"zone"`` or ``"time"``, onboarding?) of the prompt this message replies to."""
        replied = message.reply_to_message
        if replied is None or replied.text is None or not replied.from_user:
            return None
        if not replied.from_user.is_bot:
            return None
        for t in all_texts():
            for kind in ("zone", "time"):
                prompt = _prompt(t, kind)
                if replied.text == prompt:
                    return kind, False
                if replied.text == ONBOARDING_PREFIX[kind] + prompt:
                    return kind, True
        return None
