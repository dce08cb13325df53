"""Classes in the chat: /nouvelleclasse, /classe (a picker when the teacher has several),
invite links (``/start <code>``), /quitter, and /lier for a class's Telegram group.

A teacher is an id in ``TEACHER_IDS`` or someone a teacher named co-teacher of a class (a
co-teacher link). Every button carries a class id and the service checks again that the
presser teaches it: callback data can be forged.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.domain.reminders import local_date
from bot.services.classes import STUDENT, TEACHER, ClassView, InvalidClassName, JoinStatus
from bot.services.classroom import HARDEST_MIN_ANSWERS, ClassOverview
from bot.services.clock import utcnow
from bot.services.views import ClassNotFound, DeckNotFound, NotTeacherOfClass
from bot.tg import commands, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, Student
from bot.tg.handlers import start as start_handlers
from bot.tg.messaging import answer_query, edit_or_send, query_message_id, send
from bot.tg.render import fit_label
from bot.tg.texts import Texts
from bot.tg.texts.classes import ClassTexts, class_texts

# Callback data: cl:<action>:<class id> (v view, i invite, r renew, t co-teacher link,
# s students, c CSV, d decks), cd:<class id>:<deck id> (give the deck or take it back),
# cq:<class id> (a student leaves), cg:<class id> (link this group).
CLASS_ACTION = "cl"
CLASS_DECK = "cd"
LEAVE = "cq"
LINK = "cg"
PATTERNS = {
    CLASS_ACTION: r"^cl:[virtscd]:\d{1,10}$",
    CLASS_DECK: r"^cd:\d{1,10}:\d{1,10}$",
    LEAVE: r"^cq:\d{1,10}$",
    LINK: r"^cg:\d{1,10}$",
}
log = logging.getLogger(__name__)
#: A new user joining by link gets the onboarding when registered this recently.
NEW_USER_WINDOW = dt.timedelta(minutes=2)


def register(app: BotApplication) -> None:
    """Before the plain /start: a /start carrying a code is an invite link."""
    app.add_handler(
        CommandHandler(commands.START.names, join, filters=filters.Regex(r"^/start(@\w+)?\s+\S"))
    )
    app.add_handler(CommandHandler(commands.NEW_CLASS.names, new_class))
    app.add_handler(CommandHandler(commands.CLASS.names, show_classes))
    app.add_handler(CommandHandler(commands.LEAVE.names, leave))
    app.add_handler(CallbackQueryHandler(class_button, pattern=PATTERNS[CLASS_ACTION]))
    app.add_handler(CallbackQueryHandler(deck_button, pattern=PATTERNS[CLASS_DECK]))
    app.add_handler(CallbackQueryHandler(leave_button, pattern=PATTERNS[LEAVE]))


def register_group(app: BotApplication) -> None:
    """Before the class game's group guard: /lier is said in a group, to link it to a class."""
    app.add_handler(CommandHandler(commands.LINK.names, link_group))
    app.add_handler(CallbackQueryHandler(link_button, pattern=PATTERNS[LINK]))


def ct(student: Student) -> ClassTexts:
    return class_texts(student.texts.language)


async def is_teacher(update: Update, context: BotContext, student: Student) -> bool:
    """In ``TEACHER_IDS``, or owner or co-teacher of a class (read with the student)."""
    return context.is_teacher(update) or student.user.teaches_a_class


def invite_link(context: BotContext, code: str) -> str:
    return f"https://t.me/{context.bot.username}?start={code}"


def _button(label: str, callback: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(fit_label(label), callback_data=callback)


def picker(
    classes: list[ClassView], prefix: str, action: str | None = None
) -> InlineKeyboardMarkup:
    rows = []
    for found in classes[:30]:
        data = f"{prefix}:{action}:{found.id}" if action else f"{prefix}:{found.id}"
        rows.append([_button(f"{found.name} ({found.students})", data)])
    return InlineKeyboardMarkup(rows)


# --- joining ---------------------------------------------------------------------------------


async def join(update: Update, context: BotContext) -> None:
    """/start <code>: join the class (or teach it, with a co-teacher code); a new student
    then goes through the usual onboarding."""
    student = await context.student(update)
    t = ct(student)
    code = (context.args or [""])[0]
    now = utcnow()
    outcome = await run_sync(context.classes.join, code, student.id, now)
    texts = {
        JoinStatus.JOINED: t.joined,
        JoinStatus.ALREADY: t.joined_already,
        JoinStatus.TEACHER_ADDED: t.joined_teacher,
        JoinStatus.ALREADY_TEACHER: t.joined_teacher_already,
        JoinStatus.UNKNOWN: t.code_unknown,
        JoinStatus.REVOKED: t.code_revoked,
    }
    await send(context, student.chat_id, texts[outcome.status].format(name=outcome.class_name))
    if outcome.status is JoinStatus.TEACHER_ADDED:
        # The new co-teacher's menu lists the teacher commands, as TEACHER_IDS' menus do.
        scope = BotCommandScopeChat(student.chat_id)
        try:
            await context.bot.set_my_commands(
                commands.bot_commands(student.texts, teacher=True), scope=scope
            )
        except TelegramError as exc:
            log.warning("co-teacher %s: command menu not set (%s)", student.id, exc)
    is_new = now - student.user.created_at < NEW_USER_WINDOW
    if is_new and outcome.status is not JoinStatus.TEACHER_ADDED:
        await start_handlers.start(update, context)


# --- creating and showing classes ------------------------------------------------------------


async def new_class(update: Update, context: BotContext) -> None:
    """/nouvelleclasse 3e B: create the class and give its invite link."""
    student = await context.student(update)
    t = ct(student)
    if not await is_teacher(update, context, student):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    name = " ".join(context.args or [])
    if not name.strip():
        await send(context, student.chat_id, t.new_class_usage)
        return
    try:
        invite = await run_sync(context.classes.create, student.id, name, utcnow())
    except InvalidClassName as exc:
        text = t.new_class_taken.format(name=exc.name) if exc.taken else t.new_class_bad
        await send(context, student.chat_id, text)
        return
    link = invite_link(context, invite.code)
    await send(
        context, student.chat_id, t.new_class_done.format(name=invite.class_name, link=link)
    )


async def show_classes(update: Update, context: BotContext) -> None:
    """/classe: the teacher's own classes (a picker when several); /classe csv: the CSV."""
    student = await context.student(update)
    t = ct(student)
    if not await is_teacher(update, context, student):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    taught = await run_sync(context.classes.classes_taught, student.id)
    if not taught:
        await send(context, student.chat_id, t.no_class)
        return
    wants_csv = bool(context.args) and (context.args or [""])[0].lower() == "csv"
    if len(taught) > 1:
        action = "c" if wants_csv else "v"
        await send(context, student.chat_id, t.pick_class, picker(taught, CLASS_ACTION, action))
        return
    if wants_csv:
        await send_csv(context, student, taught[0].id)
        return
    await show_class(context, student, taught[0].id, None)


async def show_class(
    context: BotContext, student: Student, class_id: int, message_id: int | None
) -> None:
    """One class: this week's figures for its students only, its decks, its invite link."""
    t = ct(student)
    now = utcnow()
    found = await run_sync(context.classes.get, class_id, student.id)
    overview = await run_sync(context.classroom.overview, class_id, student.id, now)
    invite = await run_sync(context.classes.invite, class_id, student.id, now)
    decks = await run_sync(context.classes.decks_of_class, class_id)
    lines = [t.class_header(found.students, name=found.name), ""]
    lines += overview_lines(student.texts, overview)
    lines.append("")
    if decks:
        lines.append(t.class_decks.format(decks=", ".join(render.fit(d.title, 60) for d in decks)))
    else:
        lines.append(t.class_no_decks)
    lines.append(t.class_invite.format(link=invite_link(context, invite.code)))
    markup = InlineKeyboardMarkup(
        [
            [
                _button(t.btn_students, f"cl:s:{class_id}"),
                _button(t.btn_decks, f"cl:d:{class_id}"),
                _button(t.btn_csv, f"cl:c:{class_id}"),
            ],
            [
                _button(t.btn_renew, f"cl:r:{class_id}"),
                _button(t.btn_coteacher, f"cl:t:{class_id}"),
            ],
        ]
    )
    *first, last = render.split(lines)
    for text in first:
        await send(context, student.chat_id, text)
    await edit_or_send(context, student.chat_id, message_id, last, markup)


async def class_button(update: Update, context: BotContext) -> None:
    student = await context.student(update)
    t = ct(student)
    data = update.callback_query.data if update.callback_query else None
    _, action, raw_id = (data or "cl:v:0").split(":")
    class_id = int(raw_id)
    now = utcnow()
    if not await run_sync(context.classes.is_teacher_of, class_id, student.id):
        await answer_query(update, t.not_your_class)
        return
    try:
        if action == "v":
            await answer_query(update)
            await show_class(context, student, class_id, query_message_id(update))
        elif action in ("i", "r", "t"):
            await answer_query(update)
            role = TEACHER if action == "t" else STUDENT
            call = context.classes.renew_invite if action == "r" else context.classes.invite
            invite = await run_sync(call, class_id, student.id, now, role)
            template = {"i": t.invite_link, "r": t.invite_renewed, "t": t.coteacher_link}[action]
            text = template.format(name=invite.class_name, link=invite_link(context, invite.code))
            await send(context, student.chat_id, text)
        elif action == "s":
            await answer_query(update)
            found = await run_sync(context.classes.get, class_id, student.id)
            members = await run_sync(context.classes.members, class_id, student.id)
            if not members:
                await send(context, student.chat_id, t.students_none.format(name=found.name))
                return
            lines = [t.students_title.format(name=found.name)]
            lines += [f"• {render.fit(m.display_name, 60)}" for m in members]
            for text in render.split(lines):
                await send(context, student.chat_id, text)
        elif action == "d":
            await answer_query(update)
            await show_decks(context, student, class_id, None)
        else:
            await answer_query(update)
            await send_csv(context, student, class_id)
    except (NotTeacherOfClass, ClassNotFound):
        await answer_query(update, t.not_your_class)


async def show_decks(
    context: BotContext, student: Student, class_id: int, message_id: int | None
) -> None:
    """The decks the teacher may give to the class or take back, as switches."""
    t = ct(student)
    found = await run_sync(context.classes.get, class_id, student.id)
    options = await run_sync(context.classes.deck_options, class_id, student.id)
    rows = [
        [_button(f"{'✅' if o.given else '⬜'} {o.title}", f"cd:{class_id}:{o.deck_id}")]
        for o in options[:40]
    ]
    rows.append([_button(student.texts.btn_back, f"cl:v:{class_id}")])
    text = t.decks_title.format(name=found.name)
    await edit_or_send(context, student.chat_id, message_id, text, InlineKeyboardMarkup(rows))


async def deck_button(update: Update, context: BotContext) -> None:
    """A deck switch under « 📚 Paquets »: give the deck to the class, or take it back."""
    student = await context.student(update)
    t = ct(student)
    data = update.callback_query.data if update.callback_query else None
    _, raw_class, raw_deck = (data or "cd:0:0").split(":")
    class_id, deck_id = int(raw_class), int(raw_deck)
    try:
        await run_sync(context.classes.toggle_deck, class_id, student.id, deck_id, utcnow())
    except (NotTeacherOfClass, ClassNotFound):
        await answer_query(update, t.not_your_class)
        return
    except DeckNotFound:
        await answer_query(update, student.texts.deck_gone)
        return
    await answer_query(update)
    await show_decks(context, student, class_id, query_message_id(update))


async def send_csv(context: BotContext, student: Student, class_id: int) -> None:
    """The class as ``<classe>-AAAA-MM-JJ.csv``: semicolons and a UTF-8 BOM, so French
    spreadsheets open it with its accents; times in the teacher's zone."""
    t = ct(student)
    now = utcnow()
    found = await run_sync(context.classes.get, class_id, student.id)
    text = await run_sync(
        context.classes.class_csv, class_id, student.id, now, student.user.timezone
    )
    day = local_date(now, student.user.timezone)
    slug = "".join(c if c.isalnum() else "-" for c in found.name.lower()).strip("-") or "classe"
    await context.bot.send_document(
        student.chat_id,
        text.encode("utf-8-sig"),
        filename=f"{slug}-{day.isoformat()}.csv",
        caption=t.csv_caption.format(name=found.name, date=student.texts.catalogue.date(day)),
    )


# --- leaving ---------------------------------------------------------------------------------


async def leave(update: Update, context: BotContext) -> None:
    """/quitter: which class to leave (the student's classes as buttons)."""
    student = await context.student(update)
    t = ct(student)
    mine = await run_sync(context.classes.classes_of_student, student.id)
    if not mine:
        await send(context, student.chat_id, t.leave_none)
        return
    await send(context, student.chat_id, t.leave_pick, picker(mine, LEAVE))


async def leave_button(update: Update, context: BotContext) -> None:
    student = await context.student(update)
    t = ct(student)
    data = update.callback_query.data if update.callback_query else None
    class_id = int((data or "cq:0").split(":")[1])
    mine = {c.id: c for c in await run_sync(context.classes.classes_of_student, student.id)}
    await answer_query(update)
    found = mine.get(class_id)
    if found is None or not await run_sync(context.classes.leave, class_id, student.id):
        await edit_or_send(context, student.chat_id, query_message_id(update), t.left_not_member)
        return
    await edit_or_send(
        context, student.chat_id, query_message_id(update), t.left.format(name=found.name)
    )


# --- a class's group chat --------------------------------------------------------------------


async def link_group(update: Update, context: BotContext) -> None:
    """/lier [classe], in a group: link the group to one of the teacher's classes (the group
    game uses it)."""
    student = await context.student(update)
    t = ct(student)
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        await send(context, student.chat_id, t.group_only)
        return
    if not await is_teacher(update, context, student):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    taught = await run_sync(context.classes.classes_taught, student.id)
    if not taught:
        await send(context, student.chat_id, t.no_class)
        return
    wanted = " ".join(context.args or []).strip().lower()
    chosen = [c for c in taught if c.name.lower() == wanted] if wanted else []
    if not chosen and len(taught) == 1:
        chosen = taught
    if len(chosen) != 1:
        await send(context, student.chat_id, t.link_pick, picker(taught, LINK))
        return
    found = await run_sync(context.classes.link_chat, chat.id, chosen[0].id, student.id, utcnow())
    await send(context, student.chat_id, t.link_done.format(name=found.name))


async def link_button(update: Update, context: BotContext) -> None:
    student = await context.student(update)
    t = ct(student)
    chat = update.effective_chat
    data = update.callback_query.data if update.callback_query else None
    class_id = int((data or "cg:0").split(":")[1])
    if chat is None:
        return
    try:
        found = await run_sync(context.classes.link_chat, chat.id, class_id, student.id, utcnow())
    except (NotTeacherOfClass, ClassNotFound):
        await answer_query(update, t.not_your_class)
        return
    await answer_query(update)
    await edit_or_send(
        context, chat.id, query_message_id(update), t.link_done.format(name=found.name)
    )


def overview_lines(t: Texts, overview: ClassOverview) -> list[str]:
    lines = [
        t.class_title.format(
            active=overview.active_students,
            total=overview.students,
            answers=overview.answers,
            accuracy=_percent(t, overview.accuracy),
        ),
        "",
    ]
    if overview.decks:
        lines.append(t.class_decks)
        for deck in overview.decks:
            title = render.fit(deck.deck_title, 80)
            if not deck.answers:
                lines.append(t.class_deck_idle.format(deck=title))
                continue
            lines.append(
                t.class_deck_line.format(
                    deck=title,
                    active=t.class_deck_active(deck.active_students),
                    answers=t.class_deck_answers(deck.answers),
                    accuracy=_percent(t, deck.accuracy),
                )
            )
        lines.append("")
    lines += _overridden_lines(t, overview)
    if not overview.hardest:
        return [*lines, t.class_no_data]
    lines.append(t.class_hardest.format(min=HARDEST_MIN_ANSWERS))
    for rank, question in enumerate(overview.hardest, start=1):
        prompt = render.fit(render.display_prompt(question.prompt), 120)
        lines.append(
            t.class_hardest_line.format(
                rank=rank,
                prompt=prompt,
                rate=t.catalogue.percent(question.error_rate),
                answers=question.answers,
            )
        )
    return lines


def _overridden_lines(t: Texts, overview: ClassOverview) -> list[str]:
    """The questions students overruled most (« J'avais raison »): fix their answers."""
    if not overview.overridden:
        return []
    lines = [
        t.class_overridden_line(
            question.overrides,
            prompt=render.fit(render.display_prompt(question.prompt), 100),
            answer=t.catalogue.quote(render.fit(question.answer, 60)),
            examples=", ".join(t.catalogue.quote(render.fit(e, 40)) for e in question.examples),
        )
        for question in overview.overridden
    ]
    return [t.class_overridden, *lines, ""]


def _percent(t: Texts, ratio: float | None) -> str:
    return "—" if ratio is None else t.catalogue.percent(ratio)
