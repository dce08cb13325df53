"""Inline keyboards and the callback data their buttons carry (always under 64 bytes).

Callback data is a short ``prefix:arg:arg`` string; each prefix has one handler (its pattern is
``PATTERNS[prefix]``). An answer button carries the question's token, so a stale or forged press
is recognised by the study service, never trusted. The onboarding flag ``1`` on a setting button
means "then go to the next onboarding step" instead of "back to the settings menu".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

from bot.domain.deck import QuestionKind
from bot.domain.grading import SelfRating
from bot.services.optimizer import RetentionChoices
from bot.services.views import DeckChoiceView, SessionSummary, ShownQuestion
from bot.tg.render import LETTERS, fit_label
from bot.tg.texts import Texts

MAX_CALLBACK_BYTES = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)

# Callback data prefixes.
ANSWER = "a"  # a:<token>:<choice index>
STOP = "x"  # x:<token>
QUIZ = "go"  # start a session (onboarding's end, the daily prompt's « Réviser »)
LATER = "later"  # the daily prompt's « Plus tard »
ZONE = "tz"  # tz:<IANA zone>:<onboarding 0|1>
ZONE_OTHER = "tzo"  # tzo:<onboarding>: ask to type the zone
TIME = "rt"  # rt:<HHMM | off>:<onboarding>
TIME_OTHER = "rto"  # rto:<onboarding>: ask to type the time
CARDS = "nc"  # nc:<new cards per day>
LANGUAGE = "lg"  # lg:<fr | en>
DECK = "dk"  # dk:<deck key>:<onboarding>[:<page>]
DECK_PAGE = "dkp"  # dkp:<page>:<onboarding>: another page of the deck switches
DECKS_DONE = "dkok"  # onboarding: decks chosen, next step
MENU = "set"  # set:<rem | tz | nc | lg | dk | home>
FORGET = "fg"  # fg:<yes | no>
CLASS_CSV = "csv"  # the teacher's /classe: send the CSV export
RETENTION = "rr"  # rr:<desired retention in percent>
MORE_NEW = "more"  # « Encore 10 nouvelles » at the end of a run
OVERRIDE = "ok"  # ok:<token of the showing answered>: « J'avais raison »
AHEAD = "ahead"  # « Réviser en avance » at the end of a run
REVEAL = "rv"  # rv:<token>: « Voir la réponse » of a self-rated card
RATE = "sr"  # sr:<token>:<k | p | n>: « Je savais », « En partie », « Je ne savais pas »

#: Handler patterns (anchored: « tz » must not catch « tzo »).
PATTERNS = {
    ANSWER: r"^a:[A-Za-z0-9_-]{1,16}:\d{1,2}$",
    STOP: r"^x:[A-Za-z0-9_-]{0,16}$",
    QUIZ: r"^go$",
    LATER: r"^later$",
    ZONE: r"^tz:[A-Za-z0-9_+/-]{1,40}:[01]$",
    ZONE_OTHER: r"^tzo:[01]$",
    TIME: r"^rt:(\d{4}|off):[01]$",
    TIME_OTHER: r"^rto:[01]$",
    CARDS: r"^nc:\d{1,3}$",
    LANGUAGE: r"^lg:(fr|en)$",
    DECK: r"^dk:[0-9a-f]{10}:[01](:\d{1,4})?$",
    DECK_PAGE: r"^dkp:\d{1,4}:[01]$",
    DECKS_DONE: r"^dkok$",
    MENU: r"^set:(rem|tz|nc|lg|dk|ret|home)$",
    FORGET: r"^fg:(yes|no)$",
    CLASS_CSV: r"^csv$",
    RETENTION: r"^rr:\d{2}$",
    MORE_NEW: r"^more$",
    OVERRIDE: r"^ok:[A-Za-z0-9_-]{1,16}$",
    AHEAD: r"^ahead$",
    REVEAL: r"^rv:[A-Za-z0-9_-]{1,16}$",
    RATE: r"^sr:[A-Za-z0-9_-]{1,16}:[kpn]$",
}

#: The self-ratings' codes in ``sr:<token>:<code>``, in the order of their buttons.
SELF_RATINGS: dict[str, SelfRating] = {
    "k": SelfRating.KNEW,
    "p": SelfRating.PARTLY,
    "n": SelfRating.DID_NOT,
}

#: Time zones offered as buttons (French-speaking places first); any IANA zone can be typed.
ZONES: tuple[tuple[str, str], ...] = (
    ("Europe/Paris", "🇫🇷 Paris"),
    ("Europe/Brussels", "🇧🇪 Bruxelles"),
    ("Europe/Zurich", "🇨🇭 Genève"),
    ("Europe/Luxembourg", "🇱🇺 Luxembourg"),
    ("America/Toronto", "🇨🇦 Montréal"),
    ("Africa/Casablanca", "🇲🇦 Casablanca"),
    ("Africa/Algiers", "🇩🇿 Alger"),
    ("Africa/Tunis", "🇹🇳 Tunis"),
    ("Africa/Dakar", "🇸🇳 Dakar"),
    ("Africa/Abidjan", "🇨🇮 Abidjan"),
    ("Africa/Kinshasa", "🇨🇩 Kinshasa"),
    ("Indian/Reunion", "🇷🇪 La Réunion"),
    ("America/Martinique", "🇲🇶 Martinique"),
    ("Pacific/Noumea", "🇳🇨 Nouméa"),
)
REMINDER_TIMES = (
    dt.time(7, 0),
    dt.time(12, 30),
    dt.time(17, 0),
    dt.time(18, 0),
    dt.time(19, 0),
    dt.time(20, 0),
    dt.time(21, 0),
)
NEW_CARDS_CHOICES = (0, 5, 10, 20, 30, 50)

#: Longer choices are listed in the message and their buttons show only a letter.
CHOICE_LABEL_MAX = 40


def data(*parts: object) -> str:
    """Join callback data parts; refuses (at build time, in our code) anything over 64 bytes."""
    value = ":".join(str(p) for p in parts)
    if len(value.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {value!r}")
    return value


def flag(onboarding: bool) -> str:
    return "1" if onboarding else "0"


def deck_key(slug: str) -> str:
    """A fixed-size key for a deck slug (slugs may be up to 128 characters)."""
    return hashlib.blake2s(slug.encode(), digest_size=5).hexdigest()


def hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _button(label: str, callback: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(fit_label(label), callback_data=callback)


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


# --- Questions ---------------------------------------------------------------------------


def choice_label(texts: Texts, question: ShownQuestion, choice: str) -> str:
    if question.kind is QuestionKind.TRUE_FALSE:
        folded = choice.strip().lower()
        if folded in ("vrai", "true"):
            return texts.btn_true
        if folded in ("faux", "false"):
            return texts.btn_false
    return choice


def uses_letters(question: ShownQuestion) -> bool:
    """Choices too long for a button are listed in the text, buttons show A, B, C…"""
    return question.kind is QuestionKind.CHOICE and (
        any(len(c) > CHOICE_LABEL_MAX for c in question.choices)
        or len(question.choices) > len(LETTERS)
    )


def question_keyboard(texts: Texts, question: ShownQuestion) -> InlineKeyboardMarkup:
    token = question.token
    stop = [_button(texts.btn_stop, data(STOP, token))]
    if question.self_rated:
        return InlineKeyboardMarkup([[_button(texts.btn_reveal, data(REVEAL, token))], stop])
    choices = question.choices[: len(LETTERS)]
    if uses_letters(question):
        letters = [_button(LETTERS[i], data(ANSWER, token, i)) for i in range(len(choices))]
        return InlineKeyboardMarkup([*_rows(letters, 4), stop])
    if question.kind is QuestionKind.TRUE_FALSE:
        row = [
            _button(choice_label(texts, question, c), data(ANSWER, token, i))
            for i, c in enumerate(choices)
        ]
        return InlineKeyboardMarkup([row, stop])
    rows = [[_button(c, data(ANSWER, token, i))] for i, c in enumerate(choices)]
    return InlineKeyboardMarkup([*rows, stop])


def self_rating_keyboard(texts: Texts, token: str) -> InlineKeyboardMarkup:
    """Under a self-rated card's answer: the student says whether they knew it."""
    labels = {"k": texts.btn_knew, "p": texts.btn_partly, "n": texts.btn_did_not_know}
    rows = [[_button(labels[code], data(RATE, token, code))] for code in SELF_RATINGS]
    return InlineKeyboardMarkup([*rows, [_button(texts.btn_stop, data(STOP, token))]])


# --- Onboarding, settings, decks ---------------------------------------------------------


def start_quiz(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts.btn_start_quiz, QUIZ)]])


def reminder_prompt(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(texts.btn_review, QUIZ), _button(texts.btn_later, LATER)]]
    )


#: Deck switches per page of /decks: Telegram refuses a keyboard of more than 100 buttons
#: (and a long one fills the screen), so a page shows this many, with ◀️ / ▶️ between pages.
DECKS_PER_PAGE = 8


def deck_pages(count: int) -> int:
    return max(1, -(-count // DECKS_PER_PAGE))


def decks(
    texts: Texts, choices: Sequence[DeckChoiceView], *, onboarding: bool, page: int = 0
) -> InlineKeyboardMarkup:
    """One page of deck switches (the last page when ``page`` is past it), then the arrows
    to the other pages, then « Continuer » or « Retour »."""
    f = flag(onboarding)
    pages = deck_pages(len(choices))
    page = min(max(page, 0), pages - 1)
    shown = choices[page * DECKS_PER_PAGE : (page + 1) * DECKS_PER_PAGE]
    rows = [
        [
            _button(
                texts.deck_line.format(
                    mark="✅" if c.enabled else "⬜", title=c.title, count=c.question_count
                ),
                data(DECK, deck_key(c.slug), f, page),
            )
        ]
        for c in shown
    ]
    if pages > 1:
        arrows = []
        if page > 0:
            arrows.append(_button(f"◀️ {page}/{pages}", data(DECK_PAGE, page - 1, f)))
        if page < pages - 1:
            arrows.append(_button(f"▶️ {page + 2}/{pages}", data(DECK_PAGE, page + 1, f)))
        rows.append(arrows)
    last = (
        _button(texts.btn_continue, DECKS_DONE)
        if onboarding
        else _button(texts.btn_back, data(MENU, "home"))
    )
    return InlineKeyboardMarkup([*rows, [last]])


def reminder_times(texts: Texts, *, onboarding: bool) -> InlineKeyboardMarkup:
    f = flag(onboarding)
    times = [_button(hhmm(t), data(TIME, t.strftime("%H%M"), f)) for t in REMINDER_TIMES]
    rows = _rows(times, 4)
    rows.append(
        [
            _button(texts.btn_other_time, data(TIME_OTHER, f)),
            _button(texts.btn_no_reminder, data(TIME, "off", f)),
        ]
    )
    if not onboarding:
        rows.append([_button(texts.btn_back, data(MENU, "home"))])
    return InlineKeyboardMarkup(rows)


def zones(texts: Texts, *, onboarding: bool) -> InlineKeyboardMarkup:
    f = flag(onboarding)
    rows = _rows([_button(label, data(ZONE, zone, f)) for zone, label in ZONES], 2)
    rows.append([_button(texts.btn_other_zone, data(ZONE_OTHER, f))])
    if not onboarding:
        rows.append([_button(texts.btn_back, data(MENU, "home"))])
    return InlineKeyboardMarkup(rows)


def new_cards(texts: Texts) -> InlineKeyboardMarkup:
    rows = _rows([_button(str(n), data(CARDS, n)) for n in NEW_CARDS_CHOICES], 3)
    rows.append([_button(texts.btn_back, data(MENU, "home"))])
    return InlineKeyboardMarkup(rows)


def languages(texts: Texts, all_texts: Sequence[Texts]) -> InlineKeyboardMarkup:
    row = [_button(t.language_name, data(LANGUAGE, t.language)) for t in all_texts]
    return InlineKeyboardMarkup([row, [_button(texts.btn_back, data(MENU, "home"))]])


def settings_menu(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.btn_set_reminder, data(MENU, "rem")),
                _button(texts.btn_set_timezone, data(MENU, "tz")),
            ],
            [
                _button(texts.btn_set_cards, data(MENU, "nc")),
                _button(texts.btn_set_language, data(MENU, "lg")),
            ],
            [
                _button(texts.btn_set_decks, data(MENU, "dk")),
                _button(texts.btn_set_retention, data(MENU, "ret")),
            ],
        ]
    )


def retention(texts: Texts, choices: RetentionChoices) -> InlineKeyboardMarkup:
    """One button per desired retention (« 90 % », the current one ticked), then back."""
    row = [
        _button(
            f"{'✅ ' if w.current else ''}{texts.catalogue.percent(w.desired_retention)}",
            data(RETENTION, percent(w.desired_retention)),
        )
        for w in choices.workloads
    ]
    return InlineKeyboardMarkup([row, [_button(texts.btn_back, data(MENU, "home"))]])


def percent(retention: float) -> int:
    """0.85 → 85."""
    return round(retention * 100)


def class_overview(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts.btn_class_csv, CLASS_CSV)]])


def forget_confirm(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(texts.btn_forget_yes, data(FORGET, "yes"))],
            [_button(texts.btn_forget_no, data(FORGET, "no"))],
        ]
    )


def more_new(texts: Texts) -> InlineKeyboardMarkup:
    """The end of a run with new questions waiting behind today's limit."""
    return InlineKeyboardMarkup([[_button(texts.btn_more_new, MORE_NEW)]])


def after_summary(texts: Texts, summary: SessionSummary) -> InlineKeyboardMarkup | None:
    """The buttons under a run's summary: « Encore 10 nouvelles » when it would show some,
    else « Réviser en avance » when studied cards exist (never a dead end)."""
    if summary.more_new and not summary.practice:
        return more_new(texts)
    if summary.review_ahead:
        return InlineKeyboardMarkup([[_button(texts.btn_ahead, AHEAD)]])
    return None


def with_override(
    texts: Texts, markup: InlineKeyboardMarkup | None, token: str
) -> InlineKeyboardMarkup:
    """``markup`` with « J'avais raison » for the typed answer to the showing ``token``."""
    rows = list(markup.inline_keyboard) if markup is not None else []
    return InlineKeyboardMarkup([[_button(texts.btn_override, data(OVERRIDE, token))], *rows])
