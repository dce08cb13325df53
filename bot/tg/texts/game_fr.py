"""Les textes du jeu en classe, dans le groupe (en français : un groupe n'a pas de langue).

Clés ``game.*`` des catalogues (``bot/locale/<langue>/LC_MESSAGES/messages.po``) ; gabarits
``str.format`` à champs nommés, comme dans :mod:`bot.tg.texts.base`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Plural, catalogue, fill

#: The columns of the results' CSV, as ``game.csv_<column>`` keys.
CSV_COLUMNS = ("rank", "student", "correct", "answers", "seconds")


@dataclass(frozen=True, slots=True)
class GameTexts:
    private_only: str
    not_teacher: str
    group_help: str
    not_teacher_button: str
    need_rights: str
    need_rights_private: str
    no_decks: str
    self_rated_left_out: str  # {decks}: titles of decks made only of self-rated cards
    already_running: str
    no_game: str
    deck_gone: str
    pick_deck: str
    pick_count: str
    pick_seconds: str
    btn_count: str
    btn_seconds: str
    btn_stop: str
    started: str
    poll_question: str
    true: str
    false: str
    result: Plural  # counts the right answers
    result_nobody: str
    board_title: str
    board_line: str
    board_empty: str
    board_stopped: Plural
    board_abandoned: Plural
    board_hardest: str
    board_more: Plural
    csv_caption: str
    csv_not_sent: str
    csv_columns: tuple[str, ...]
    csv_question: str


def game_texts(language: str) -> GameTexts:
    texts = catalogue(language)
    columns = tuple(texts.text(f"game.csv_{column}") for column in CSV_COLUMNS)
    return fill(GameTexts, texts, "game", csv_columns=columns)


GAME_FR = game_texts("fr")
