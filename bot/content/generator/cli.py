"""``quizbot generate``: read a French text, write a YAML deck, print a summary."""

from __future__ import annotations

import os
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from bot.content.generator.writer import OutputExistsError, write_deck_yaml
from bot.domain.deck import Deck

#: Where a draft goes by default: outside ``questions/`` (which the bot imports), so that an
#: unreviewed draft is never imported by accident.
DRAFTS = Path("brouillons")
#: Above this many words a progress bar is shown.
PROGRESS_WORDS = 2000
MAX_BYTES = 5_000_000


class SourceError(Exception):
    """The source file cannot be used; the message is for the teacher, in French."""


def read_source(path: Path) -> str:
    """The text of a UTF-8 ``.txt`` / ``.md`` file, or a :class:`SourceError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path} : fichier introuvable.") from None
    except OSError as exc:
        raise SourceError(f"{path} : lecture impossible ({exc.strerror}).") from None
    if len(data) > MAX_BYTES:
        raise SourceError(f"{path} : fichier trop gros ({len(data)} octets, 5 Mo au plus).")
    if b"\x00" in data[:8192]:
        raise SourceError(f"{path} : fichier binaire ; il faut un texte (.txt ou .md).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path} : ce n'est pas du texte UTF-8 (octet invalide à la position {exc.start}). "
            "Enregistrez le fichier en UTF-8 puis recommencez."
        ) from None
    if not text.strip():
        raise SourceError(f"{path} : le fichier est vide.")
    if not re.search(r"[A-Za-zÀ-ÿ]{3}", text):
        raise SourceError(f"{path} : aucun texte à lire.")
    return text


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "paquet"


def summary(deck: Deck, seconds: float, output: Path) -> str:
    kinds = Counter(q.kind.value for q in deck.questions)
    tags = Counter(q.tags[0] for q in deck.questions if q.tags)
    lines = [
        f"{len(deck.questions)} questions écrites dans {output} en {seconds:.1f} s",
        "  par sorte : " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        "  par réponse : " + ", ".join(f"{k} {n}" for k, n in tags.most_common()),
        "À relire avant usage : supprimez ou corrigez les questions douteuses (champ confidence).",
    ]
    return "\n".join(lines)


def generate_command(
    source: Path,
    output: Path | None,
    deck_id: str | None,
    title: str | None,
    progress: bool,
    force: bool = False,
) -> int:
    """Run the generator; print a summary; return the exit code (0 ok, 1 bad input).

    The output (default ``brouillons/<id>.yaml``) is never overwritten unless ``force``: a
    reviewed deck is not lost by generating again.
    """
    try:
        text = read_source(source)
    except SourceError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    deck_id = deck_id or slugify(source.stem)
    output = output or DRAFTS / f"{deck_id}.yaml"
    if output.exists() and not force:
        print(
            f"Erreur : {output} existe déjà. Choisissez un autre fichier avec -o, ou "
            "relancez avec --force pour le remplacer (les corrections faites dedans seront "
            "perdues).",
            file=sys.stderr,
        )
        return 1
    title = title or source.stem.replace("-", " ").replace("_", " ").capitalize()
    words = len(text.split())
    from bot.content.generator.pipeline import generate_deck, load_model

    nlp = load_model()
    bar = None
    if progress and words >= PROGRESS_WORDS:
        from tqdm import tqdm

        bar = tqdm(total=words, unit="mots", desc="Analyse", file=sys.stderr)
    deck = generate_deck(
        text,
        deck_id=deck_id,
        title=title,
        nlp=nlp,
        progress=bar.update if bar is not None else None,
    )
    if bar is not None:
        bar.close()
    if not deck.questions:  # v3.3: every form the text offered is turned off
        print(
            "Erreur : aucune question n'a pu être rédigée à partir de ce texte (les seules "
            "formes possibles sont désactivées, voir docs/generation.md) ; aucun fichier écrit.",
            file=sys.stderr,
        )
        return 1
    try:
        rel = os.path.relpath(source.resolve(), output.resolve().parent)
    except ValueError:
        rel = str(source)
    try:
        write_deck_yaml(deck, output, source=Path(rel).as_posix(), force=force)
    except OutputExistsError:  # created meanwhile
        print(
            f"Erreur : {output} existe déjà (utilisez --force pour le remplacer).", file=sys.stderr
        )
        return 1
    print(summary(deck, time.perf_counter() - started, output))
    return 0
