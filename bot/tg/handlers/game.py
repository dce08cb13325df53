"""The class game in a group chat: /jeu (/game), its pickers, the quiz polls, /stop.

A teacher sends /jeu in the class's group: the bot checks its own rights there, then offers
the decks, 5/10/20 questions and 10/20/30 s per question (one message, edited at each pick).
Each question is a native quiz poll; the next one follows when its time runs out (a JobQueue
job) or as soon as everybody present has voted (the last ``poll_answer``). After each question
the group sees how many got it right; at the end, the top 10 and the hardest question, and the
teacher gets the results by student as a CSV in private.

The game lives in the database (:class:`~bot.services.game.GameService`): at start-up
:meth:`GamePlay.resume` picks up every running game (its open poll closes on time, or the
next question follows), or ends one abandoned long ago with the scores so far.

Group limits: about 20 messages a minute per group and one per second per chat.
:class:`GroupPacer` spaces the bot's own messages in a group within them (the rate limiter
below it also paces, and waits ``retry_after`` on a 429). Only one poll is open at a time.

In a group, nothing else is handled: a student's /quiz or /reglages there never registers them
with the group's chat nor changes their settings (:class:`InGroup`, tried before the private
chat handlers).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import datetime as dt
import io
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

from telegram import (
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Poll,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    PollAnswerHandler,
    filters,
)

from bot.domain.deck import TRUE_ANSWER, QuestionKind
from bot.domain.game import MAX_QUESTION_CHARS, QUESTION_COUNTS, SECONDS_CHOICES
from bot.services.clock import utcnow
from bot.services.game import (
    AnswerStatus,
    EndReason,
    GameDeck,
    GameResults,
    NextStatus,
    PollToSend,
    QuestionResult,
    ResumeAction,
    StartStatus,
    StopStatus,
)
from bot.tg import commands
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, BotData, GameTuning
from bot.tg.keyboards import deck_key
from bot.tg.messaging import answer_query, edit_text
from bot.tg.render import fit, fit_label
from bot.tg.texts.game_fr import GAME_FR, GameTexts

log = logging.getLogger(__name__)

#: Callback data: g:d:<deck> (deck picked), g:n:<deck>:<count>, g:s:<deck>:<count>:<seconds>
#: (start), g:x (stop).
PATTERN = r"^g:(d:[0-9a-f]{10}|n:[0-9a-f]{10}:\d{1,2}|s:[0-9a-f]{10}:\d{1,2}:\d{1,2}|x)$"
#: A vote for a poll not recorded yet (it is being sent right now): asked again this often.
UNKNOWN_POLL_RETRIES = 10
UNKNOWN_POLL_DELAY = 0.2
MEDALS = ("🥇", "🥈", "🥉")

#: The application as handlers and jobs see it (``context.application``).
App = Application[ExtBot[int], Any, Any, Any, BotData, Any]


def job_name(game_id: int, position: int) -> str:
    return f"game:{game_id}:{position}"


class GroupPacer:
    """At most ``group_messages`` of the bot's messages in any ``group_window`` in a group,
    and ``min_interval`` between two: :meth:`slot` waits for room, then counts the message
    once sent. A per-process limit (a game's messages come from the process that runs it)."""

    def __init__(self, tuning: GameTuning, clock: Callable[[], float] = time.monotonic) -> None:
        self.tuning = tuning
        self.clock = clock
        self._sent: dict[int, deque[float]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def wait_needed(self, chat_id: int) -> float:
        """Seconds to wait before the next message in the chat (0: now)."""
        t = self.tuning
        stamps = self._sent.setdefault(chat_id, deque())
        now = self.clock()
        while stamps and stamps[0] <= now - t.group_window:
            stamps.popleft()
        wait = 0.0
        if len(stamps) >= t.group_messages:
            wait = stamps[0] + t.group_window - now
        if stamps:
            wait = max(wait, stamps[-1] + t.min_interval - now)
        return max(0.0, wait)

    @asynccontextmanager
    async def slot(self, chat_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            # A timed wait for a known instant, not polling a condition: sleep it out.
            while (wait := self.wait_needed(chat_id)) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._sent.setdefault(chat_id, deque()).append(self.clock())


class InGroup(BaseHandler[Update, BotContext, None]):
    """Any message or button press in a group chat (the game's own were handled above)."""

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update) or update.poll_answer is not None:
            return False
        chat = update.effective_chat
        if chat is None or chat.type in {Chat.PRIVATE, Chat.CHANNEL}:
            return False
        return bool(update.message or update.edited_message or update.callback_query)


class GamePlay:
    """The handlers and timers of the class games of one bot process."""

    def __init__(self, tuning: GameTuning, texts: GameTexts = GAME_FR) -> None:
        self.tuning = tuning
        self.t = texts
        self.pacer = GroupPacer(tuning)

    # -- commands and buttons -----------------------------------------------------------------

    async def game_command(self, update: Update, context: BotContext) -> None:
        """/jeu: in a group, the teacher gets the deck picker; in private, where to play."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        if chat.type == Chat.PRIVATE:
            await context.bot.send_message(chat.id, self.t.private_only)
            return
        if not await run_sync(context.games.may_run, chat.id, user.id):
            await self.say(context.application, chat.id, self.t.not_teacher)
            return
        if not await self.can_play(context, chat, user.id):
            return
        found = await run_sync(context.games.decks, chat.id, every=True)
        decks = [d for d in found if d.playable]
        # Decks of self-rated cards only are not offered: say so, or the teacher looks for
        # them in vain.
        self_rated = ", ".join(f"« {d.title} »" for d in found if d.only_self_rated)
        left_out = self.t.self_rated_left_out.format(decks=self_rated) if self_rated else ""
        if not decks:
            text = self.t.no_decks if not left_out else f"{self.t.no_decks}\n\n{left_out}"
            await self.say(context.application, chat.id, text)
            return
        markup = _rows([_button(d.title, "g", "d", deck_key(d.slug)) for d in decks], 1)
        text = self.t.pick_deck if not left_out else f"{self.t.pick_deck}\n\n{left_out}"
        await self.say(context.application, chat.id, text, markup)

    async def stop_command(self, update: Update, context: BotContext) -> None:
        """/stop in the group: the teacher ends the game now, with the scores so far."""
        await self.stop(update, context)

    async def button(self, update: Update, context: BotContext) -> None:
        """The pickers' buttons and « Arrêter le jeu » (only for who may run the game)."""
        query, chat, user = update.callback_query, update.effective_chat, update.effective_user
        if query is None or chat is None or user is None or not query.data:
            return
        if not await run_sync(context.games.may_run, chat.id, user.id):
            await answer_query(update, self.t.not_teacher_button)
            return
        parts = query.data.split(":")
        if parts[1] == "x":
            await answer_query(update)
            await self.stop(update, context)
            return
        decks = await run_sync(context.games.decks, chat.id)
        deck = next((d for d in decks if deck_key(d.slug) == parts[2]), None)
        message = query.message
        if deck is None or not isinstance(message, Message):
            await answer_query(update, self.t.deck_gone)
            return
        await answer_query(update)
        if parts[1] == "d":
            text, markup = self.t.pick_count.format(deck=deck.title), self._counts(deck)
            await edit_text(context, chat.id, message.message_id, text, markup)
        elif parts[1] == "n":
            text = self.t.pick_seconds.format(deck=deck.title, count=parts[3])
            markup = self._seconds(deck, int(parts[3]))
            await edit_text(context, chat.id, message.message_id, text, markup)
        else:
            await self.start(context, chat.id, user.id, message, deck, parts)

    async def start(
        self,
        context: BotContext,
        chat_id: int,
        teacher_id: int,
        message: Message,
        deck: GameDeck,
        parts: list[str],
    ) -> None:
        count, seconds = int(parts[3]), int(parts[4])
        if count not in QUESTION_COUNTS or seconds not in SECONDS_CHOICES:
            return
        members = await context.bot.get_chat_member_count(chat_id)
        expected = max(0, members - 2)  # the bot and the teacher do not play
        outcome = await run_sync(
            context.games.start,
            chat_id,
            teacher_id,
            deck.slug,
            count,
            seconds,
            utcnow(),
            players_expected=expected,
        )
        if outcome.status is StartStatus.ALREADY_RUNNING:
            await edit_text(context, chat_id, message.message_id, self.t.already_running)
            return
        if outcome.game is None:
            await edit_text(context, chat_id, message.message_id, self.t.deck_gone)
            return
        game = outcome.game
        text = self.t.started.format(
            deck=game.deck_title, count=game.question_count, seconds=game.seconds
        )
        stop = _rows([_button(self.t.btn_stop, "g", "x")], 1)
        await edit_text(context, chat_id, message.message_id, text, stop)
        context.application.create_task(self.begin(context.application, game.id))

    async def begin(self, app: App, game_id: int) -> None:
        """The first question, after a moment to read the rules."""
        await asyncio.sleep(self.tuning.pause)
        await self.go_on(app, game_id)

    async def stop(self, update: Update, context: BotContext) -> None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        outcome = await run_sync(context.games.stop, chat.id, user.id, utcnow())
        if outcome.status is StopStatus.NOT_ALLOWED:
            await self.say(context.application, chat.id, self.t.not_teacher)
        elif outcome.status is StopStatus.NO_GAME:
            await self.say(context.application, chat.id, self.t.no_game)
        elif outcome.results is not None:
            if outcome.closed is not None:
                await self.closed(context.application, outcome.closed)
            await self.announce(context.application, outcome.results, outcome.closed)

    # -- answers ------------------------------------------------------------------------------

    async def poll_answer(self, update: Update, context: BotContext) -> None:
        """A vote: recorded once; the last vote expected closes the question now."""
        answer = update.poll_answer
        if answer is None or answer.user is None:
            return
        now = utcnow()
        user = answer.user
        for _attempt in range(UNKNOWN_POLL_RETRIES):
            outcome = await run_sync(
                context.games.answer,
                answer.poll_id,
                user.id,
                user.full_name,
                answer.option_ids,
                now,
            )
            if outcome.status is not AnswerStatus.UNKNOWN:
                break
            await asyncio.sleep(UNKNOWN_POLL_DELAY)  # the poll may be being recorded
        else:
            log.debug("vote for an unknown poll %s ignored", answer.poll_id)
            return
        if outcome.status is AnswerStatus.LATE:
            log.debug("late vote of %s for poll %s ignored", user.id, answer.poll_id)
        if outcome.everyone_in and outcome.game_id is not None and outcome.position is not None:
            app = context.application
            app.create_task(self.close_and_go_on(app, outcome.game_id, outcome.position))

    # -- the game's steps ---------------------------------------------------------------------

    async def go_on(self, app: App, game_id: int) -> None:
        """Send the next poll, or finish the game when every question was asked."""
        games = app.bot_data.services.games
        step = await run_sync(games.next_question, game_id)
        if step.status is NextStatus.ASK and step.poll is not None:
            await self.ask(app, step.poll)
        elif step.status is NextStatus.DONE:
            results = await run_sync(games.finish, game_id, utcnow())
            if results is not None:
                await self.announce(app, results, None)

    async def ask(self, app: App, poll: PollToSend) -> None:
        games = app.bot_data.services.games
        try:
            async with self.pacer.slot(poll.chat_id):
                message = await app.bot.send_poll(
                    poll.chat_id,
                    self._question(poll),
                    [self._option(poll.kind, o) for o in poll.options],
                    is_anonymous=False,
                    type=Poll.QUIZ,
                    correct_option_ids=[cast(Any, poll.correct)],
                    explanation=poll.explanation,
                    open_period=dt.timedelta(seconds=poll.seconds),
                )
        except TelegramError as exc:
            # Kicked out of the group, or the rights taken away: the game cannot go on.
            log.warning("game %s: poll not sent (%s), game ended", poll.game_id, exc)
            results = await run_sync(games.finish, poll.game_id, utcnow(), EndReason.STOPPED)
            if results is not None:
                await self.announce(app, results, None)
            return
        assert message.poll is not None
        closes_at = await run_sync(
            games.poll_sent, poll.game_question_id, message.poll.id, message.message_id, utcnow()
        )
        self.close_at(app, poll.game_id, poll.position, closes_at)

    def close_at(
        self, app: App, game_id: int, position: int, closes_at: dt.datetime | None
    ) -> None:
        """Close the question when its poll's time is up (and the last votes are in)."""
        left = (closes_at - utcnow()).total_seconds() if closes_at is not None else 0.0
        assert app.job_queue is not None
        app.job_queue.run_once(
            self.time_up,
            when=max(0.0, left) + self.tuning.grace,
            data=(game_id, position),
            name=job_name(game_id, position),
        )

    async def time_up(self, context: BotContext) -> None:
        """The job: a poll's time is over."""
        job = context.job
        assert job is not None and isinstance(job.data, tuple)
        game_id, position = job.data
        await self.close_and_go_on(context.application, game_id, position)

    async def close_and_go_on(self, app: App, game_id: int, position: int) -> None:
        """Close the question (once, whoever calls first), say how it went, go on."""
        games = app.bot_data.services.games
        result = await run_sync(games.close, game_id, position, utcnow())
        if result is None:
            return
        assert app.job_queue is not None
        for job in app.job_queue.get_jobs_by_name(job_name(game_id, position)):
            job.schedule_removal()
        await self.closed(app, result)
        if result.last:
            results = await run_sync(games.finish, game_id, utcnow())
            if results is not None:
                await self.announce(app, results, result)
            return
        await self.say(app, result.chat_id, self._result(result))
        await asyncio.sleep(self.tuning.pause)
        await self.go_on(app, game_id)

    async def closed(self, app: App, result: QuestionResult) -> None:
        """A poll closed before its time is closed on Telegram too (no vote after it)."""
        if not result.closed_early or result.message_id is None:
            return
        with contextlib.suppress(BadRequest):  # already closed (its time ran out meanwhile)
            await app.bot.stop_poll(result.chat_id, result.message_id)

    async def announce(self, app: App, results: GameResults, last: QuestionResult | None) -> None:
        """The leaderboard in the group (with the last question's result), the CSV to the
        teacher in private."""
        lines = [self._result(last), ""] if last is not None else []
        lines += self._board(results)
        await self.say(app, results.chat_id, "\n".join(lines))
        try:
            await app.bot.send_document(
                results.started_by,
                results_csv(self.t, results),
                filename=f"jeu-{results.game_id}.csv",
                caption=fit(self.t.csv_caption.format(deck=results.deck_title), 1024),
            )
        except (Forbidden, BadRequest) as exc:  # the teacher never wrote to the bot
            log.info("game %s: CSV not sent to the teacher (%s)", results.game_id, exc)
            await self.say(app, results.chat_id, self.t.csv_not_sent)

    async def resume(self, context: BotContext) -> None:
        """At start-up: pick up the running games where the database left them."""
        app = context.application
        for step in await run_sync(app.bot_data.services.games.resume, utcnow()):
            log.info("game %s: %s after a restart", step.game_id, step.action.value)
            if step.action is ResumeAction.CLOSE_AT:
                self.close_at(app, step.game_id, step.position, step.closes_at)
            elif step.action is ResumeAction.NEXT:
                app.create_task(self.go_on(app, step.game_id))
            elif step.results is not None:
                app.create_task(self.announce(app, step.results, None))

    # -- group messages -----------------------------------------------------------------------

    async def say(
        self,
        app: App,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """A message in the group, paced; a failure is logged (the game goes on)."""
        try:
            async with self.pacer.slot(chat_id):
                await app.bot.send_message(chat_id, fit(text), reply_markup=markup)
        except TelegramError as exc:
            log.warning("message to group %s not sent: %s", chat_id, exc)

    async def group_help(self, update: Update, context: BotContext) -> None:
        """/aide in a group: what the bot does there (the game), and that studying is private."""
        chat = update.effective_chat
        if chat is not None:
            await self.say(context.application, chat.id, self.t.group_help)

    async def can_play(self, context: BotContext, chat: Chat, teacher_id: int) -> bool:
        """Whether the bot may send messages and polls in the group; says so if not."""
        member = await context.bot.get_chat_member(chat.id, context.bot.id)
        if has_rights(member):
            return True
        try:
            await context.bot.send_message(chat.id, self.t.need_rights)
        except TelegramError:  # not even a message: tell the teacher in private
            with contextlib.suppress(TelegramError):
                text = self.t.need_rights_private.format(group=chat.title or chat.id)
                await context.bot.send_message(teacher_id, text)
        return False

    # -- rendering ----------------------------------------------------------------------------

    def _counts(self, deck: GameDeck) -> InlineKeyboardMarkup:
        key = deck_key(deck.slug)
        labels = [(self.t.btn_count.format(count=n), n) for n in QUESTION_COUNTS]
        return _rows([_button(label, "g", "n", key, n) for label, n in labels], 3)

    def _seconds(self, deck: GameDeck, count: int) -> InlineKeyboardMarkup:
        key = deck_key(deck.slug)
        labels = [(self.t.btn_seconds.format(seconds=s), s) for s in SECONDS_CHOICES]
        return _rows([_button(label, "g", "s", key, count, s) for label, s in labels], 3)

    def _question(self, poll: PollToSend) -> str:
        text = self.t.poll_question.format(
            number=poll.position + 1, total=poll.total, question=poll.question
        )
        return text if len(text) <= MAX_QUESTION_CHARS else poll.question

    def _option(self, kind: QuestionKind, option: str) -> str:
        if kind is QuestionKind.TRUE_FALSE:
            return self.t.true if option == TRUE_ANSWER else self.t.false
        return option

    def _result(self, result: QuestionResult) -> str:
        answer = self._option(result.kind, result.answer)
        number, total = result.position + 1, result.total
        if not result.answered:
            return self.t.result_nobody.format(number=number, total=total, answer=answer)
        return self.t.result(
            result.correct, number=number, total=total, answered=result.answered, answer=answer
        )

    def _board(self, results: GameResults) -> list[str]:
        t = self.t
        lines = [t.board_title.format(deck=results.deck_title)]
        if results.reason is EndReason.STOPPED:
            lines.append(t.board_stopped(results.asked, total=results.total))
        elif results.reason is EndReason.ABANDONED:
            lines.append(t.board_abandoned(results.asked, total=results.total))
        if not results.leaderboard:
            return [*lines, t.board_empty]
        for row in results.leaderboard:
            medal = MEDALS[row.rank - 1] if row.rank <= len(MEDALS) else f"{row.rank}."
            lines.append(
                t.board_line.format(
                    medal=medal,
                    name=fit(row.name, 64),
                    correct=row.correct,
                    asked=results.asked,
                    seconds=seconds_text(row.correct_ms),
                )
            )
        if len(results.players) > len(results.leaderboard):
            more = len(results.players) - len(results.leaderboard)
            lines.append(t.board_more(more))
        hard = results.hardest
        if hard is not None:
            lines += [
                "",
                t.board_hardest.format(
                    prompt=fit(hard.prompt, 200),
                    correct=hard.correct,
                    answered=hard.answered,
                    answer=self._option(hard.kind, hard.answer),
                ),
            ]
        return lines


def has_rights(member: ChatMember) -> bool:
    """An administrator, a plain member, or a restricted one still allowed messages and
    polls."""
    if member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.MEMBER):
        return True
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "can_send_messages", False)) and bool(
            getattr(member, "can_send_polls", False)
        )
    return False


def seconds_text(ms: int) -> str:
    """« 12,3 » (French decimal comma)."""
    return f"{ms / 1000:.1f}".replace(".", ",")


def results_csv(t: GameTexts, results: GameResults) -> bytes:
    """The teacher's file: one row per player (rank order), one column per question asked
    (1 right, 0 wrong, empty: no answer); ``;``-separated with a BOM, as spreadsheets in
    French expect."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    questions = [
        t.csv_question.format(number=i, prompt=prompt)
        for i, prompt in enumerate(results.prompts, start=1)
    ]
    writer.writerow([*t.csv_columns, *questions])
    for row in results.players:
        marks = ["" if m is None else str(int(m)) for m in row.by_question]
        writer.writerow(
            [row.rank, row.name, row.correct, row.answered, seconds_text(row.correct_ms), *marks]
        )
    return out.getvalue().encode("utf-8-sig")


def _button(label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(fit_label(label), callback_data=":".join(map(str, parts)))


def _rows(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


async def _ignore(update: Update, context: BotContext) -> None:
    """Anything else in a group: a button's spinner is stopped, nothing else happens."""
    if update.callback_query is not None:
        await answer_query(update)


def register(app: BotApplication) -> GamePlay:
    """The game's handlers (first in group 0: a group sees nothing else) and the start-up
    job that resumes running games; returns the :class:`GamePlay` (tests read its pacer)."""
    play = GamePlay(app.bot_data.tuning.game)
    app.add_handler(CommandHandler(commands.GAME.names, play.game_command))
    app.add_handler(
        CommandHandler(
            commands.GAME_STOP.names, play.stop_command, filters=filters.ChatType.GROUPS
        )
    )
    app.add_handler(CallbackQueryHandler(play.button, pattern=PATTERN))
    app.add_handler(PollAnswerHandler(play.poll_answer))
    app.add_handler(
        CommandHandler(commands.HELP.names, play.group_help, filters=filters.ChatType.GROUPS)
    )
    app.add_handler(InGroup(_ignore))
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    app.job_queue.run_once(play.resume, when=0.0, name="games-resume")
    return play
