"""The fake Bot API server, driven by the real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from .fake_telegram import FakeTelegram, RateLimits, button_data, png_bytes, ptb_request

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns on int time periods (``RetryAfter.retry_after``); warnings are errors."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    # The real Bot, built as a user would; only the TLS context is skipped (see ptb_request).
    request = ptb_request()
    async with Bot(
        tg.token,
        base_url=tg.base_url,
        base_file_url=tg.base_file_url,
        request=request,
        get_updates_request=ptb_request(1),
    ) as real_bot:
        yield real_bot


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d)] for d in data])


# ------------------------------------------------------------------------- basics


async def test_get_me_through_bot_initialize(tg: FakeTelegram, bot: Bot) -> None:
    assert bot.id == tg.bot_id == 123456789
    assert bot.username == "quizbot_test_bot"
    assert tg.stats.requests["getMe"] == 1


async def test_send_message_numbers_messages_per_chat(tg: FakeTelegram, bot: Bot) -> None:
    tg.user(1, first_name="Alice")
    first = await bot.send_message(1, "Bonjour", reply_markup=keyboard("a", "b"))
    second = await bot.send_message(1, "2006")  # form-encoded, yet still a string
    other = await bot.send_message(2, "Salut")

    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.chat.type == "private" and first.chat.first_name == "Alice"
    assert first.from_user is not None and first.from_user.id == bot.id
    assert first.reply_markup == keyboard("a", "b")
    assert isinstance(first.date, dtm.datetime)
    assert [m["text"] for m in tg.messages(1)] == ["Bonjour", "2006"]
    call = tg.calls("sendMessage", chat_id=1)[0]
    assert call.ok and call.params["text"] == "Bonjour" and call.message is not None
    assert call.message["message_id"] == 1


async def test_edits_apply_and_are_validated(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(1, "Question ?", reply_markup=keyboard("a"))

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Question ?", 1, sent.message_id, reply_markup=keyboard("a"))
    # Like Telegram, an edit without reply_markup removes the inline keyboard.
    edited = await bot.edit_message_text("Réponse : 2006", 1, sent.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "Réponse : 2006" and edited.edit_date is not None
    assert "reply_markup" not in tg.messages(1)[0]

    with_keys = await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=keyboard("x"))
    assert isinstance(with_keys, Message) and button_data(tg.messages(1)[0]) == ["x"]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("?", 1, 99)

    assert await bot.delete_message(1, sent.message_id)
    assert tg.messages(1) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(1, sent.message_id)


async def test_limits_like_telegram(bot: Bot) -> None:
    assert (await bot.send_message(1, "é" * 4096)).text == "é" * 4096
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "é" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "😀" * 2049)  # 4098 UTF-16 code units
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1, "  ")

    await bot.send_message(1, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(1, "trop", reply_markup=keyboard("x" * 65))
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(1, png_bytes(), caption="c" * 1025)


async def test_parse_modes_strip_markup_or_fail(tg: FakeTelegram, bot: Bot) -> None:
    html = await bot.send_message(
        1, "<b>Bonne</b> réponse &amp; <a href='https://x.fr'>source</a>", parse_mode="HTML"
    )
    assert html.text == "Bonne réponse & source"
    assert [(e.type, e.offset, e.length) for e in html.entities] == [
        ("bold", 0, 5),
        ("text_link", 16, 6),
    ]
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1, "1 < 2", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities.*start tag"):
        await bot.send_message(1, "<b>gras", parse_mode=ParseMode.HTML)

    with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved"):
        await bot.send_message(1, "Fin.", parse_mode=ParseMode.MARKDOWN_V2)
    v2 = await bot.send_message(1, r"*2006* \(UE\)\.", parse_mode=ParseMode.MARKDOWN_V2)
    assert v2.text == "2006 (UE)." and v2.entities[0].type == "bold"
    legacy = await bot.send_message(1, "_Minsk_ (Bélarus).", parse_mode=ParseMode.MARKDOWN)
    assert legacy.text == "Minsk (Bélarus)." and legacy.entities[0].type == "italic"
    assert tg.stats.statuses[400] == 3


# ------------------------------------------------------------------------- updates


async def test_get_updates_offset_limit_and_redelivery(tg: FakeTelegram, bot: Bot) -> None:
    student = tg.user(7)
    first = student.send_command("/start cours-1")
    student.send_text("2006")
    student.send_text("/quiz")

    updates = await bot.get_updates(limit=2)
    assert [u.update_id for u in updates] == [first["update_id"], first["update_id"] + 1]
    message = updates[0].message
    assert message is not None and message.text == "/start cours-1"
    assert message.parse_entities() == {message.entities[0]: "/start"}
    assert (await bot.get_updates())[0].update_id == first["update_id"]  # not confirmed yet

    rest = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.effective_message.text for u in rest if u.effective_message] == ["/quiz"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    assert tg.pending_updates == 0

    tg.redeliver(first)
    again = await bot.get_updates(offset=rest[-1].update_id + 1)
    assert [u.update_id for u in again] == [first["update_id"]]
    assert again[0].message is not None and again[0].message.text == "/start cours-1"


async def test_long_poll_is_released_by_an_injected_update(tg: FakeTelegram, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await tg.wait_for(lambda: tg.waiting_polls == 1)
    started = loop.time()
    tg.user(3).send_text("réveil")
    updates = await poll
    assert loop.time() - started < 1
    assert updates[0].message is not None and updates[0].message.text == "réveil"


async def test_long_poll_honours_timeout(bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=dtm.timedelta(milliseconds=100)) == ()
    assert loop.time() - started >= 0.1


async def test_second_poll_ends_the_first_with_conflict(tg: FakeTelegram, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await tg.wait_for(lambda: tg.waiting_polls == 1)
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{tg.base_url}{tg.token}/getUpdates", json={})
    assert response.json() == {"ok": True, "result": []}
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_allowed_updates_filters_and_is_remembered(tg: FakeTelegram, bot: Bot) -> None:
    student = tg.user(5)
    sent = await bot.send_message(5, "Q", reply_markup=keyboard("a"))
    student.press(sent, "a")
    student.send_text("texte")
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates if u.message] == ["texte"]
    student.press(sent, "a")
    assert await bot.get_updates(offset=updates[-1].update_id + 1) == ()


async def test_callback_query_and_answer(tg: FakeTelegram, bot: Bot) -> None:
    student = tg.user(9, first_name="Zoé")
    question = await bot.send_message(9, "En quelle année ?", reply_markup=keyboard("y2006"))
    pressed = student.press(question, button="Y2006")

    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "y2006" and query.from_user.first_name == "Zoé"
    assert query.message is not None and query.message.message_id == question.message_id
    assert query.id == pressed["callback_query"]["id"]

    await bot.answer_callback_query(query.id, "Bonne réponse !")
    answer = await tg.wait_for_callback_answer(pressed)
    assert (answer.text, answer.data, answer.chat_id) == ("Bonne réponse !", "y2006", 9)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)

    with pytest.raises(LookupError, match="no button"):
        student.press(question, "forged")
    forged = student.press(99, "forged", strict=False)  # e.g. an old message, deleted since
    (update,) = await bot.get_updates(offset=update.update_id + 1)
    assert update.callback_query is not None and update.callback_query.data == "forged"
    assert forged["callback_query"]["message"]["date"] == 0
    assert update.callback_query.message is not None
    assert not update.callback_query.message.is_accessible


async def test_other_update_kinds(tg: FakeTelegram, bot: Bot) -> None:
    student = tg.user(11)
    said = student.send_text("Minks")
    student.send_edited_message(said, "Minsk")
    student.send_sticker("🎉")
    student.send_photo(caption="mon graphique")
    student.in_group(-100, "Terminale B").send_command("/quiz@quizbot_test_bot")
    student.block_bot()

    updates = await bot.get_updates()
    edited = updates[1].edited_message
    assert edited is not None and edited.text == "Minsk" and edited.message_id == 1
    assert updates[2].message is not None and updates[2].message.sticker is not None
    assert updates[3].message is not None and updates[3].message.photo[0].width == 1
    group_message = updates[4].message
    assert group_message is not None and group_message.chat.type == "group"
    assert group_message.chat.title == "Terminale B" and group_message.message_id == 1
    member = updates[5].my_chat_member
    assert member is not None and member.new_chat_member.status == "kicked"
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(11, "Rappel")


# ------------------------------------------------------------------------- files


async def test_document_roundtrip_and_uploads(tg: FakeTelegram, bot: Bot) -> None:
    content = b"version: 1\nquestions: []\n"
    tg.user(4).send_document("Élève.yaml", content, "application/x-yaml", caption="banque")

    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    assert (document.file_name, document.mime_type) == ("Élève.yaml", "application/x-yaml")
    telegram_file = await bot.get_file(document.file_id)
    buffer = io.BytesIO()
    await telegram_file.download_to_memory(buffer)
    assert buffer.getvalue() == content
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")

    sent = await bot.send_document(4, b"a;b\n", filename='notes "2024".csv', caption="Export")
    assert sent.document is not None and sent.document.file_name == 'notes "2024".csv'
    upload = tg.calls("sendDocument")[0].files["document"]
    assert upload.data == b"a;b\n" and upload.content_type == "text/csv"
    assert tg.files[sent.document.file_id].data == b"a;b\n"

    photo = await bot.send_photo(4, png_bytes(3, 2), caption="<i>progrès</i>", parse_mode="HTML")
    assert (photo.photo[0].width, photo.photo[0].height) == (3, 2)
    assert photo.caption == "progrès" and photo.caption_entities[0].type == "italic"
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(4, b"not an image", filename="chart.png")


# ------------------------------------------------------------------------- faults


async def test_fail_next_maps_to_ptb_errors(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(1, "x")
    assert retry.value.retry_after == dtm.timedelta(seconds=3)

    tg.fail_next("sendMessage", status=502, chat_id=2)
    await bot.send_message(1, "other chats are fine")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(2, "x")
    await bot.send_message(2, "only once")

    tg.fail_next(None, status=403, times=2)
    for method in (bot.send_chat_action(1, "typing"), bot.send_message(1, "y")):
        with pytest.raises(Forbidden, match="blocked by the user"):
            await method
    assert tg.stats.too_many_requests == 1 and tg.stats.statuses[403] == 2


async def test_rate_limit_enforcer(tg: FakeTelegram, bot: Bot) -> None:
    tg.rate_limits = RateLimits(overall=3, per_chat=1, per_group=None, window=0.1, slack=0.0)
    await bot.send_message(1, "a")
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(1, "b")
    assert retry.value.retry_after == dtm.timedelta(seconds=1)
    await bot.send_message(2, "c")
    await bot.send_message(3, "d")
    with pytest.raises(RetryAfter):
        await bot.send_message(4, "e")
    await bot.send_chat_action(1, "typing")  # not a message: not limited
    assert tg.stats.rate_limited == 2 and tg.stats.too_many_requests == 2

    await asyncio.sleep(0.1)  # the window slides
    await bot.send_message(1, "b")
    assert tg.stats.peak_messages_per_second == 4


# ------------------------------------------------------------------------- commands, misc


async def test_commands_per_scope_and_language(tg: FakeTelegram, bot: Bot) -> None:
    fr = [BotCommand("quiz", "Une question"), BotCommand("stats", "Mes progrès")]
    en = [BotCommand("quiz", "A question")]
    assert await bot.set_my_commands(fr, language_code="fr")
    assert await bot.set_my_commands(en, scope=BotCommandScopeAllPrivateChats())

    assert await bot.get_my_commands(language_code="fr") == tuple(fr)
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == tuple(en)
    assert await bot.get_my_commands() == ()
    assert tg.commands("default", "fr")[1] == {"command": "stats", "description": "Mes progrès"}
    assert set(tg.my_commands) == {("default", "fr"), ("all_private_chats", "")}
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Réglages", "x")])


async def test_misc_methods_and_raw_http(tg: FakeTelegram, bot: Bot) -> None:
    assert await bot.send_chat_action(1, "typing")
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(1, "dancing")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.close() and await bot.log_out()

    async with httpx.AsyncClient(base_url=tg.url) as client:
        unknown = await client.post(f"/bot{tg.token}/sendTelepathy", json={})
        wrong_token = await client.post("/bot1:wrong/getMe")
        as_json = await client.post(
            f"/bot{tg.token}/sendMessage",
            json={"chat_id": 6, "text": "JSON", "reply_markup": {"inline_keyboard": []}},
        )
        missing_file = await client.get(f"/file/bot{tg.token}/documents/none.txt")
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert wrong_token.status_code == 401
    assert as_json.json()["result"]["text"] == "JSON"
    assert missing_file.status_code == 404


async def test_wait_for_message_without_polling(tg: FakeTelegram, bot: Bot) -> None:
    student = tg.user(8)
    said = student.send_text("/quiz")

    async def reply_later() -> None:
        await tg.wait_for(lambda: tg.waiting_polls == 0)
        await bot.send_message(8, "Première question")
        await bot.send_message(8, "Deuxième question")

    task = asyncio.create_task(reply_later())
    second = await student.wait_for_message("question", count=2, after=said)
    await task
    assert second["text"] == "Deuxième question"
    with pytest.raises(AssertionError, match=r"timed out after 0.05s.*containing 'jamais'"):
        await tg.wait_for_message(8, "jamais", timeout=0.05)


async def test_concurrent_keep_alive_clients(tg: FakeTelegram) -> None:
    async with tg.bot(request=ptb_request(16)) as fast_bot:
        await asyncio.gather(*(fast_bot.send_message(i % 10 + 1, f"m{i}") for i in range(100)))
    assert tg.stats.requests["sendMessage"] == 100
    for chat_id in range(1, 11):
        assert [m["message_id"] for m in tg.messages(chat_id)] == list(range(1, 11))


async def test_webhook_delivery(tg: FakeTelegram, bot: Bot) -> None:
    received: list[tuple[dict[str, str], bytes]] = []
    handlers: set[asyncio.Task[None]] = set()

    async def receive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                lines = head.decode().split("\r\n")[1:-2]
                headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)}
                body = await reader.readexactly(int(headers["content-length"]))
                received.append((headers, body))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()
            await writer.wait_closed()

    receiver = await asyncio.start_server(receive, "127.0.0.1", 0)
    port = receiver.sockets[0].getsockname()[1]
    try:
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        update = tg.user(12).send_text("par webhook")
        await tg.wait_for(lambda: tg.webhook_deliveries)
        headers, body = received[0]
        assert headers["x-telegram-bot-api-secret-token"] == "s3cret"
        assert json.loads(body) == update and tg.pending_updates == 0
        assert (await bot.get_webhook_info()).url.endswith("/hook")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        assert await bot.delete_webhook()
        await asyncio.gather(*handlers)
    finally:
        receiver.close()
        await receiver.wait_closed()


async def test_standalone_process_and_control_api() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.fake_telegram",
        "--port",
        "0",
        "--rate-limits",
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        port = int(await asyncio.wait_for(process.stdout.readline(), 10))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            injected = await client.post("/_fake/send_text", json={"user_id": 5, "text": "hé"})
            assert injected.json()["result"]["message"]["text"] == "hé"
            updates = await client.post("/bot123456789:TEST-quizbot-fake-token/getUpdates")
            assert updates.json()["result"][0]["message"]["chat"]["id"] == 5
            stats = (await client.get("/_fake/stats")).json()["result"]
            assert stats["requests"] == {"getUpdates": 1}
    finally:
        process.terminate()
        await process.communicate()
    assert process.returncode == 0


async def test_drives_a_polling_application(tg: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Bienvenue", reply_markup=keyboard("go"))

    async def go(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("C'est parti")
        await update.callback_query.edit_message_text("Question 1")

    application = ApplicationBuilder().bot(tg.bot()).build()
    application.add_handlers([CommandHandler("start", start), CallbackQueryHandler(go)])
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=10)
        student = tg.user(1)
        student.send_command("/start")
        welcome = await student.wait_for_message("Bienvenue")
        pressed = student.press(welcome, "go")
        assert (await tg.wait_for_callback_answer(pressed)).text == "C'est parti"
        question = await student.wait_for_message("Question 1")
        await application.updater.stop()
        await application.stop()
    assert question["message_id"] == welcome["message_id"] and "reply_markup" not in question
    assert [c.method for c in tg.sent] == [
        "getMe",
        "deleteWebhook",
        "sendMessage",
        "answerCallbackQuery",
        "editMessageText",
    ]
