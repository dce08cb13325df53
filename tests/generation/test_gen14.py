"""v3.10 (gen14): the form gate re-decided on the pooled record of every rated round (each
reader's first verdict on each item), the fallback on the same record."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.content.generator import forms, rounds


def test_every_rated_round_directory_is_read() -> None:
    rated = {d.name for d in rounds.RATINGS.glob("v3*") if (d / rounds.READERS[0]).is_dir()}
    # Every rated directory is either one the gate was decided on or one rated since.
    assert set(rounds.RATED_DIRS) | set(rounds.RATED_SINCE) == rated
    assert not set(rounds.RATED_DIRS) & set(rounds.RATED_SINCE)
    assert rounds.DECIDED_ON == rounds.ROUNDS


def test_the_gate_and_the_fallback_are_the_rule_on_the_committed_ratings() -> None:
    # v3.12: the settled rule (``rounds.decide_settled``); v3.13 ran it from v3.12's decision
    # on the record with v3.12's ratings (the thirteenth round): no form moved
    items = rounds.pooled()
    assert set(rounds.decide_settled(items, before=rounds.V312_OFF)) == set(forms.OFF)
    # v3.13: each form split by whether the item names what it is about
    assert rounds.decide_split(items) == (set(forms.SPLIT_ON), set(forms.SPLIT_OFF))
    assert rounds.fallback_settled(items) == set(forms.FALLBACK_FORMS)
    assert forms.FALLBACK_FORMS <= forms.OFF


def test_the_rule_reads_enough_ratings_and_keeps_v33_on_a_thin_record() -> None:
    assert rounds.pooled_verdict("f", 7, 10, was_off=False)  # 70 % of 10: off
    assert not rounds.pooled_verdict("f", 8, 10, was_off=True)  # 80 % of 10: on again
    assert rounds.pooled_verdict("f", 6, 8, was_off=True)  # 8 ratings: v3.3's decision
    assert not rounds.pooled_verdict("f", 6, 8, was_off=False)
    assert rounds.pooled_verdict("f", 0, 4, was_off=False)  # nobody accepted 4: off


def _deck(tmp: Path, name: str, items: list[dict[str, object]]) -> None:
    (tmp / "decks").mkdir(parents=True, exist_ok=True)
    (tmp / "decks" / f"{name}.yaml").write_text(
        yaml.safe_dump({"questions": items}, allow_unicode=True), encoding="utf-8"
    )


def _ratings(tmp: Path, name: str, reader: str, rows: dict[str, str]) -> None:
    (tmp / reader).mkdir(parents=True, exist_ok=True)
    lines = ["id\trating\treason"] + [f"{k}\t{v}\t" for k, v in rows.items()]
    (tmp / reader / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_carried_verdict_counts_once_and_turned_off_paths_not_at_all(tmp_path: Path) -> None:
    cloze = {"id": "q1", "kind": "cloze", "prompt": "Le pont a {{12}} arches.", "tags": ["nombre"]}
    term = {
        "id": "q2",
        "kind": "true_false",
        "prompt": "Le pont est en pierre.",
        "answer": "vrai",
        "tags": ["notion", "vrai-faux", "non-prouve"],
    }
    for rnd, rating in (("r1", "A"), ("r2", "A")):  # the same item, carried to r2
        _deck(tmp_path / rnd, "pont", [cloze, term])
        for reader in rounds.READERS:
            _ratings(tmp_path / rnd, "pont", reader, {"q1": rating, "q2": "N"})
    items = rounds.pooled(tmp_path, ("r1", "r2"))
    assert [(i.round, i.id) for i in items] == [("r1", "q1"), ("r1", "q1")]
    assert rounds.pooled_record(items) == {"cloze nombre": (2, 2)}


def test_forms_back_on_and_turned_off_by_v310_and_v311() -> None:
    assert forms.gate("cloze", "date", "Le pont de Tancarville est achevé en {{1907}}.") is None
    # v3.13: a date cloze that names nothing is off (« cloze date sans nom », 7/16)
    assert forms.gate("cloze", "date", "Le pont est achevé en {{1907}}.")
    assert forms.gate("cloze", "autre", "Le pont est construit en {{granit}}.")
    assert forms.gate("self_rated", "cause", "Pourquoi le pont est-il construit ?")
    # v3.11: v3.10's ratings turned these off again; v3.12: the cause's choice too (57/88)
    assert forms.gate("choice", "cause", "Pourquoi le pont est-il construit ?")
    assert forms.gate("choice", "personne", "Qui fonde la société en 1907 ?")
    assert forms.gate("choice", "date", "En quelle année Paul Morin fonde-t-il la société ?")


def test_the_pooled_record_never_reads_the_next_rounds_texts() -> None:
    # The next round's texts are rated on the decks before the version measured on them: the
    # gate of that version must not have read their verdicts.
    from bot.content.generator import split

    read = {item.text for item in rounds.pooled()}
    assert read and not read & set(split.FUTURE_UNSEEN)
