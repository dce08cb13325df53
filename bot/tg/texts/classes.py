"""The strings of classes and drafts (``bot.tg.handlers.classes``, ``bot.tg.handlers.drafts``),
French and English, kept apart from :class:`~bot.tg.texts.base.Texts`: keys ``classes.*`` of
the catalogues (``bot/locale/<language>/LC_MESSAGES/messages.po``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.i18n import Plural, catalogue, fill


@dataclass(frozen=True, slots=True)
class ClassTexts:
    # Classes
    new_class_usage: str
    new_class_done: str
    new_class_taken: str
    new_class_bad: str
    no_class: str
    pick_class: str
    class_header: Plural
    class_invite: str
    class_decks: str
    class_no_decks: str
    btn_invite: str
    btn_renew: str
    btn_coteacher: str
    btn_csv: str
    btn_students: str
    btn_decks: str
    decks_title: str
    invite_link: str
    invite_renewed: str
    coteacher_link: str
    students_title: str
    students_none: str
    csv_caption: str
    not_your_class: str
    joined: str
    joined_already: str
    joined_teacher: str
    joined_teacher_already: str
    code_unknown: str
    code_revoked: str
    leave_none: str
    leave_pick: str
    left: str
    left_not_member: str
    group_only: str
    link_done: str
    link_pick: str
    private_only: str
    # Drafts
    generate_usage: str
    text_too_short: Plural
    text_wrong_type: str
    text_unreadable: str
    queued: Plural
    generating: str
    generating_progress: str
    draft_failed: str
    draft_empty: str
    #: Why a generation failed, by the worker's reason (``timeout``, ``memory``…; ``""``: other).
    failure_reasons: Mapping[str, str]
    draft_header: str
    item_prompt: str
    item_answer: str
    item_self_rated: str  # the kind of a self-rated card, for the teacher
    item_revealed: str  # {answer}: what a self-rated card shows
    item_choices: str
    item_source: str
    item_confidence: str
    btn_keep: str
    btn_correct: str
    btn_delete: str
    btn_later: str
    btn_keep_rest: str
    btn_fix_prompt: str
    btn_fix_answer: str
    btn_back: str
    correct_what: str
    correct_prompt: str
    correct_answer: str
    correct_refused: str
    correct_done: str
    summary: str
    summary_kept: Plural
    summary_corrected: Plural
    summary_deleted: Plural
    btn_publish_for: str
    btn_publish_all: str
    audience_all: str
    btn_download: str
    published: Plural
    nothing_to_publish: str
    drafts_none: str
    drafts_title: str
    draft_line: str
    draft_gone: str
    draft_sent_back: Plural
    yaml_caption: str
    upload_replaced: str


def _class_texts(language: str) -> ClassTexts:
    texts = catalogue(language)
    reasons = texts.section("classes.failure")
    reasons[""] = reasons.pop("other")
    return fill(ClassTexts, texts, "classes", failure_reasons=reasons)


FR_CLASSES = _class_texts("fr")
EN_CLASSES = _class_texts("en")


def class_texts(language: str | None) -> ClassTexts:
    return EN_CLASSES if language == "en" else FR_CLASSES
