"""The Telegram bot assembled in one place: :func:`build_application` is the wiring.

Reading order: the builder (API URL, typed context, per-user update processor, rate limiter,
start-up hook), then the handlers in the order they are tried, then the daily-prompt job.
:func:`run_bot` runs it until SIGINT/SIGTERM: long polling with the bot's own loop
(:mod:`bot.tg.updater`) or the webhook server (:mod:`bot.tg.webhook`), both confirming an
update to Telegram only once it has been handled; on a signal they stop fetching, let the
updates in hand finish, and the application shuts down. :func:`running` does the same
start and stop inside an ``async with``, for tests.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes

from bot.config import ConfigError, Settings
from bot.reports import describe_import
from bot.services.clock import utcnow
from bot.services.container import Services
from bot.services.errors import DeckFormatError
from bot.tg import commands, flood
from bot.tg.concurrency import PerUserUpdateProcessor, run_sync
from bot.tg.context import BotApplication, BotContext, BotData, Tuning, UserState
from bot.tg.errors import on_error
from bot.tg.handlers import (
    classes,
    decks,
    drafts,
    forget,
    game,
    info,
    optimizer,
    preferences,
    quiz,
    reminders,
    start,
    stats,
    teacher,
)
from bot.tg.ratelimit import RetryingRateLimiter
from bot.tg.texts import EN, FR
from bot.tg.updater import ConfirmingPoller
from bot.tg.webhook import WebhookReceiver

log = logging.getLogger(__name__)

#: Bot API connections kept open (PTB's default is 256).
HTTP_POOL_SIZE = 8
#: Worker threads for service calls on PostgreSQL. Two overlap one update's round trips with
#: another's Python; more only fight over the GIL (A/B against five: +10 % updates/s, −14 % CPU
#: per update, −25 % p95, docs/performance.md). The engine's pool (5) has room for them.
SERVICE_THREADS_POSTGRES = 2

#: Update types the bot asks for (``my_chat_member`` tells when a student blocks the bot;
#: ``poll_answer``: the votes in a class game's quiz polls).
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
    Update.POLL_ANSWER,
]


def build_application(
    settings: Settings, services: Services, *, tuning: Tuning | None = None
) -> BotApplication:
    """Build the bot on ``services`` (:func:`bot.services.container.build_services`):
    builder, handlers in order, jobs. Nothing runs yet."""
    tuning = tuning or Tuning()
    app: BotApplication = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData, user_data=UserState))
        # Students at once, each student's updates in order (see concurrency.py).
        .concurrent_updates(PerUserUpdateProcessor())
        .rate_limiter(
            RetryingRateLimiter(
                max_retries=tuning.flood_retries,
                network_retries=tuning.network_retries,
                network_base_delay=tuning.network_base_delay,
                overall_max_rate=settings.telegram_max_rate,
                group_max_rate=tuning.game.group_messages,
                group_time_period=tuning.game.group_window,
            )
        )
        # Requests are paced at ~30/s: a small pool keeps httpcore's per-request scan of its
        # connections short (it was 11 % of the bot's CPU with PTB's default of 256).
        .connection_pool_size(HTTP_POOL_SIZE)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)  # stops the chart and generation processes
        .build()
    )
    app.bot_data.services = services
    app.bot_data.tuning = tuning

    # Group -1, before everything: a student flooding the bot is slowed down (flood.py).
    flood.register(app)
    # Handlers, tried in this order within group 0 (the first that matches wins):
    classes.register_group(app)  # /lier in a class's group chat, and its class picker
    game.register(app)  # group chats: /jeu, its buttons, /stop, poll answers; nothing else there
    classes.register(app)  # /start <invite code>, /nouvelleclasse, /classe, /quitter, /lier
    drafts.register(app)  # texts sent by teachers, /generer, /brouillons, the review
    start.register(app)  # /start and the onboarding buttons
    preferences.register(app)  # /reglages, its buttons, typed time zone / time replies
    decks.register(app)  # /decks and the deck switches
    quiz.register(app)  # /quiz, answer buttons, Stop, /annuler, typed answers
    stats.register(app)  # /stats
    reminders.register(app)  # /pause, /reprendre, « Réviser » / « Plus tard », the job
    optimizer.register(app)  # the hourly job fitting each student's FSRS parameters
    forget.register(app)  # /oublier and its confirmation
    teacher.register(app)  # file uploads, /recharger, /classe
    info.register(app)  # /aide, then the catch-alls: unknown commands, other messages
    app.add_error_handler(on_error)
    return app


async def on_startup(app: BotApplication) -> None:
    """Import the questions folder, then publish the command menus (French and English)."""
    services = app.bot_data.services
    # Service calls run in worker threads (`run_sync`). SQLite has one writer, so more threads
    # only add GIL hand-offs and lock waits: one thread there (measured +33 % updates/s, see
    # docs/performance.md), two on PostgreSQL (SERVICE_THREADS_POSTGRES).
    workers = 1 if services.settings.is_sqlite else SERVICE_THREADS_POSTGRES
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="services")
    )
    await import_questions(services)
    await publish_commands(app, services.settings)
    await drafts.on_startup(app)  # drafts cut by a stop, queued ones, the worker's prewarm


async def on_shutdown(app: BotApplication) -> None:
    await stats.on_shutdown(app)
    await drafts.on_shutdown(app)


async def import_questions(services: Services) -> None:
    folder = services.settings.questions_dir
    try:
        report = await run_sync(services.importer.import_paths, [folder], utcnow())
    except DeckFormatError as exc:
        log.warning(
            "questions in %s not imported (%d problem(s)):\n%s",
            folder,
            len(exc.problems),
            "\n".join(str(p) for p in exc.problems),
        )
        return
    log.info("questions imported from %s:\n%s", folder, describe_import(report))


async def publish_commands(app: BotApplication, settings: Settings) -> None:
    """The menu: French by default and for French clients, English for English ones; the
    teachers' chats also list the teacher commands."""
    bot = app.bot
    await bot.set_my_commands(commands.bot_commands(FR))
    await bot.set_my_commands(commands.bot_commands(FR), language_code="fr")
    await bot.set_my_commands(commands.bot_commands(EN), language_code="en")
    for teacher_id in sorted(settings.teacher_ids):
        scope = BotCommandScopeChat(teacher_id)
        try:
            await bot.set_my_commands(commands.bot_commands(FR, teacher=True), scope=scope)
            await bot.set_my_commands(
                commands.bot_commands(EN, teacher=True), scope=scope, language_code="en"
            )
        except TelegramError as exc:  # a teacher who never wrote to the bot: no chat yet
            log.warning("teacher %s: command menu not set (%s)", teacher_id, exc)


def webhook_path(settings: Settings) -> str:
    if not settings.webhook_url:
        raise ConfigError("WEBHOOK_URL manquant : l'URL publique du bot (https://…/chemin).")
    return urlsplit(settings.webhook_url).path.lstrip("/")


def run_bot(settings: Settings, services: Services, *, webhook: bool = False) -> int:
    """Run until SIGINT/SIGTERM: long polling, or the webhook server for several instances."""
    app = build_application(settings, services)
    server = None
    if webhook:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        assert settings.webhook_url is not None  # checked by webhook_path
        server = WebhookServer(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=webhook_path(settings),
            webhook_url=settings.webhook_url,
            secret_token=secret,
        )
    asyncio.run(_run_until_signal(app, server))
    return 0


async def _run_until_signal(app: BotApplication, webhook: WebhookServer | None) -> None:
    """Long polling (:class:`~bot.tg.updater.ConfirmingPoller`) or the webhook server
    (:class:`~bot.tg.webhook.WebhookReceiver`) until SIGINT or SIGTERM; the updates in hand
    are then finished and confirmed."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running(app, webhook=webhook):
        await stop.wait()
    log.info("stopped: updates in hand finished and confirmed")


def _polling_failed(app: BotApplication, error: TelegramError) -> None:
    """As in run_polling: a getUpdates failure goes to the error handler, without update."""
    app.create_task(app.process_error(None, error))


@dataclass(frozen=True, slots=True)
class WebhookServer:
    """Where :func:`running` serves the webhook (tests: 127.0.0.1 and a free port)."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str | None = None


@asynccontextmanager
async def running(
    app: BotApplication, *, webhook: WebhookServer | None = None
) -> AsyncIterator[BotApplication]:
    """Start the bot as :func:`run_bot` does, without signal handlers; stop it on exit."""
    await app.initialize()
    updater = app.updater
    assert updater is not None
    # getUpdates failures reach the error handler with no update (one line per outage).
    poller = ConfirmingPoller(
        app,
        poll_timeout=app.bot_data.tuning.poll_timeout,
        allowed_updates=ALLOWED_UPDATES,
        error_callback=functools.partial(_polling_failed, app),
    )
    receiver = (
        WebhookReceiver(
            app,
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.url_path,
            secret_token=webhook.secret_token,
        )
        if webhook is not None
        else None
    )
    try:
        if app.post_init is not None:
            await app.post_init(app)
        if webhook is None:
            await poller.start()
        else:
            assert receiver is not None
            await receiver.start()
        await app.start()
        if webhook is not None:
            await app.bot.set_webhook(
                webhook.webhook_url,
                secret_token=webhook.secret_token,
                allowed_updates=ALLOWED_UPDATES,
            )
        yield app
    finally:
        if poller.running:
            await poller.stop()
        if receiver is not None and receiver.running:
            await receiver.stop()
        if updater.running:
            await updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
