"""v3.9: the ranker's retrain on every round (cards read as cards, every round's ratings
deduplicated, the forward test by round)."""

from __future__ import annotations

import dataclasses

from bot.content.generator import ranker, rounds, split
from bot.content.generator.checker import TextContext
from bot.content.generator.model import AnswerType, Draft

TEXT = "La photosynthèse est la fabrication de matière par la plante à partir de lumière."
CTX = TextContext(frozenset(), TEXT)


def _card(prompt: str) -> Draft:
    return Draft(
        False,
        prompt,
        "La fabrication de matière par la plante à partir de lumière.",
        AnswerType.CONCEPT,
        TEXT,
        0,
        "photosynthese",
        0.5,
        self_rated=True,
    )


def test_a_card_is_read_as_the_choice_it_replaces_then_as_a_card() -> None:
    card = _card("Qu'est-ce que la photosynthèse ?")
    as_card = ranker.features(ranker.item_of(card), TEXT, CTX)
    as_choice = ranker.features(
        dataclasses.replace(ranker.item_of(card), kind="choice"), TEXT, CTX
    )
    n = len(ranker.FEATURES_V33)
    assert as_card[:n] == as_choice[:n]
    cards = dict(zip(ranker.FEATURES[n:], as_card[n:], strict=True))
    assert cards == {
        "card_self_rated": 1.0,
        "card_pourquoi": 0.0,
        "card_qu_est_ce_que": 1.0,
        "card_que_designe": 0.0,
    }
    assert as_choice[n:] == [0.0, 0.0, 0.0, 0.0]
    why = ranker.features(ranker.item_of(_card("Pourquoi la plante verdit-elle ?")), TEXT, CTX)
    assert why[ranker.FEATURES.index("card_pourquoi")] == 1.0


def test_weights_made_for_the_v33_features_weigh_nothing_on_the_card_features() -> None:
    names = list(ranker.FEATURES_V33)
    w = ranker.aligned(names, [0.5] * len(names))
    assert w == [0.5] * len(names) + [0.0] * (len(ranker.FEATURES) - len(names))
    assert ranker.aligned(["bias", "unknown"], [0.1, 0.2]) is None
    assert ranker.aligned(names, [0.5]) is None


def test_the_shipped_confidence_of_a_card_is_that_of_the_choice_it_replaces() -> None:
    card = _card("Que désigne la photosynthèse ?")
    choice = dataclasses.replace(card, self_rated=False, distractors=("a", "b", "c"))
    ranker.order([card, choice], CTX)
    assert card.confidence == choice.confidence


def test_an_item_rated_in_several_rounds_counts_once_per_reader() -> None:
    both = ranker.every_round_items(["v3.8", "v3.9"])
    keys: dict[tuple[str, str, str, str], int] = {}
    for name in ("v3.8", "v3.9"):
        for reader in rounds.READERS:
            for r in rounds.rated(
                rounds.RATINGS / name, reader, name, skip=split.NOT_FOR_TRAINING
            ):
                keys.setdefault((reader, r.text, r.id, r.prompt), 0)
                keys[(reader, r.text, r.id, r.prompt)] += 1
    assert sum(len(rows) for rows in both.values()) == len(keys)
    assert any(count > 1 for count in keys.values())  # v3.9 carries most of v3.8's items
    assert not set(both) & set(split.NOT_FOR_TRAINING)


def test_the_forward_test_trains_only_on_the_rounds_before() -> None:
    assert ranker.round_dirs(before="v3.6") == ["v3", "v3.1", "v3.2", "v3.3", "v3.4", "v3.5"]
    # the newest rated round last (v3.10 after v3.9, not before it as a string sort would)
    rated = [d.name for d in rounds.RATINGS.glob("v3*") if (d / rounds.READERS[0]).is_dir()]
    newest = max(rated, key=rounds.round_version)
    assert ranker.round_dirs()[-1] == newest
    seen = ranker.every_round_items(ranker.round_dirs(before="v3.6"), skip=split.UNSEEN_6)
    assert not set(seen) & {*split.UNSEEN_6, *split.UNSEEN_7, *split.UNSEEN_8}


def _rated(text: str, index: int, label: int, *, fallback: bool = False) -> ranker.Rated:
    return ranker.Rated(text, "reader-a", index, fallback, 0.0, [], label)


def test_the_top_half_is_read_text_by_text_with_fallback_items_last() -> None:
    rows = [
        _rated("t1", 0, 1),
        _rated("t1", 1, 0),
        _rated("t1", 2, 0, fallback=True),
        _rated("t1", 3, 1),
        _rated("t2", 0, 0),
        _rated("t2", 1, 1),
    ]
    scores = [0.5, 0.9, 0.99, 0.5, 0.7, 0.7]
    # t1: 0.9 (N), then 0.5 (A, deck order first): the fallback's 0.99 never counts first;
    # t2: a tie, deck order: the first (N)
    assert ranker.top_half(rows, scores) == (1, 3)
