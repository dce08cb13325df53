"""Teachers' question files (YAML, format v1) read into frozen :class:`~bot.domain.deck.Deck`.

The format is described for contributors in ``docs/CONTRACTS.md`` and for teachers, in French,
in ``questions/README.md``.

Public API::

    load_deck_bytes(data, filename) -> Deck      # one file's bytes (e.g. a file sent to the bot)
    load_deck_file(path) -> Deck                 # one file on disk
    load_decks(paths) -> list[Deck]              # every *.yaml / *.yml under files or folders
    summarize(decks) -> str                      # « 2 paquets, 57 questions : … »

Errors::

    DeckFormatError(Exception)   one or more files are invalid; nothing should be imported.
        .problems: list[DeckProblem]
    DeckProblem                  file, line (1-based), question id, French message for a teacher.
                                 ``line`` is None only for whole-file problems: missing or
                                 unreadable file, wrong extension, file too big, empty file,
                                 more than ``MAX_PROBLEMS`` problems (the check stopped).

Every problem of every file is collected before raising, so a teacher fixes a file in one go
(up to ``MAX_PROBLEMS`` per file: past that, the file is hardly a question file).

Why not plain ``yaml.safe_load``: problems need line numbers; scalars are kept as written
(``answer: 10:30`` is the text "10:30", not YAML 1.1's sexagesimal 630); anchors and aliases are
refused (no "billion laughs"); nesting depth and file size are bounded. So the parser's events
(libyaml's when available, else PyYAML's; both with ``SafeLoader``'s tag resolution) are only
*composed* into a node tree, with no Python object ever constructed from a YAML tag, and the
values are built from the nodes in one pass that checks them on the way.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.domain.deck import (
    CLOZE_GAP,
    FALSE_ANSWER,
    FORMAT_VERSION,
    MAX_DECK_ID,
    MAX_DECK_TITLE,
    MAX_QUESTION_ID,
    MAX_SOURCE_FILE,
    TRUE_ANSWER,
    Deck,
    Question,
    QuestionKind,
)
from bot.domain.grading import answer_items, answer_numbers, option_key
from bot.domain.text import fold_apostrophes
from bot.render.plural import count_fr

#: Larger files are refused before parsing (a bank of a few hundred questions is ~100 KiB).
MAX_FILE_BYTES = 1024 * 1024
#: The format needs 4 levels (file > questions > question > list): deeper is an error or an attack.
MAX_DEPTH = 10
#: Problems reported per file: past this the check stops (a file of 100,000 wrong lines would
#: otherwise take seconds to check and hundreds of messages to report).
MAX_PROBLEMS = 100
YAML_SUFFIXES = (".yaml", ".yml")
#: Folders skipped when a directory is scanned (source texts live in ``questions/sources/``;
#: drafts not yet reviewed in ``brouillons/``, never imported: only published decks go live).
SKIPPED_DIRS = frozenset({"sources", "brouillons"})

DECK_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
QUESTION_ID = re.compile(r"[A-Za-z0-9_.-]+")
LANGUAGES = ("fr", "en")

TOP_KEYS = ("version", "deck", "questions")
DECK_KEYS = ("id", "title", "language", "source", "description")
QUESTION_KEYS = (
    "id",
    "kind",
    "prompt",
    "answer",
    "accept",
    "distractors",
    "choices",
    "explanation",
    "source",
    "tags",
    "confidence",
)
KINDS = tuple(kind.value for kind in QuestionKind)

# French (or usual) names a teacher may try, mapped to the real key: better hints than difflib.
_KEY_ALIASES = {
    "paquet": "deck",
    "titre": "title",
    "nom": "title",
    "langue": "language",
    "texte": "source",
    "question": "prompt",
    "enonce": "prompt",
    "reponse": "answer",
    "bonne_reponse": "answer",
    "type": "kind",
    "choix": "choices",
    "propositions": "choices",
    "leurres": "distractors",
    "mauvaises_reponses": "distractors",
    "alternatives": "accept",
    "variantes": "accept",
    "explication": "explanation",
    "phrase": "source",
    "etiquettes": "tags",
    "confiance": "confidence",
}
_KIND_ALIASES = {
    "qcm": "choice",
    "choix": "choice",
    "multiple_choice": "choice",
    "mcq": "choice",
    "ouverte": "open",
    "question_ouverte": "open",
    "trou": "cloze",
    "trous": "cloze",
    "a_trous": "cloze",
    "texte_a_trous": "cloze",
    "vrai_faux": "true_false",
    "auto": "self_rated",
    "auto_evaluation": "self_rated",
    "autoevaluation": "self_rated",
    "carte": "self_rated",
    "flashcard": "self_rated",
    "self": "self_rated",
    "vrai-faux": "true_false",
    "vrai/faux": "true_false",
    "vf": "true_false",
    "true-false": "true_false",
    "truefalse": "true_false",
    "boolean": "true_false",
}
_MISSING_HINTS = {
    "version": "il manque « version: 1 » en tête du fichier",
    "deck": "il manque la section « deck » (au moins « id » et « title » du paquet)",
    "questions": "il manque la liste « questions »",
    "deck.id": "il manque « id » du paquet (ex. « id: bielorussie-relations-exterieures »)",
    "deck.title": "il manque « title » (le titre du paquet)",
    "id": "il manque « id » (identifiant stable de la question, ex. « ue-gel-avoirs-2006 »)",
    "kind": "il manque « kind » (choice, open, cloze, true_false ou self_rated)",
    "prompt": "il manque « prompt » (l'énoncé de la question)",
    "answer": "il manque « answer » (la bonne réponse)",
}

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT = _YAML + "str", _YAML + "int", _YAML + "float"
_BOOL, _NULL, _TIMESTAMP = _YAML + "bool", _YAML + "null", _YAML + "timestamp"
_SEQ, _MAP = _YAML + "seq", _YAML + "map"
#: Scalars whose text is used as written when a text is expected (``2006``, ``2,5``, ``10:30``).
_TEXT_TAGS = frozenset({_STR, _INT, _FLOAT, _TIMESTAMP})


# --------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True, slots=True)
class DeckProblem:
    """One problem in a question file, worded for a teacher.

    ``line`` is 1-based; None only for whole-file problems (missing, unreadable, too big, empty).
    ``question_id`` is the question's ``id`` as written, when the problem is inside a question.
    """

    file: str
    line: int | None
    question_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.question_id is not None:
            where += f" [{self.question_id}]"
        return _escaped(f"{where} {self.message}")


class DeckFormatError(Exception):
    """One or more question files are invalid. ``problems`` lists them all, in file order."""

    def __init__(self, problems: Iterable[DeckProblem]) -> None:
        self.problems: list[DeckProblem] = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[type[DeckFormatError], tuple[list[DeckProblem]]]:
        return (type(self), (self.problems,))


# --------------------------------------------------------------------------------------------
# Public API


def load_deck_bytes(data: bytes, filename: str) -> Deck:
    """Parse and check one question file; ``filename`` is only used in messages and ``Deck.path``.

    Raises:
        DeckFormatError: with every problem found in the file.
    """
    result = _check_bytes(data, filename)
    if result.deck is None:
        raise DeckFormatError(result.problems)
    return result.deck


def load_deck_file(path: Path) -> Deck:
    """Read and check one question file (a missing or unreadable file is a DeckFormatError too)."""
    result = _check_path(Path(path))
    if result.deck is None:
        raise DeckFormatError(result.problems)
    return result.deck


def load_decks(paths: Iterable[Path]) -> list[Deck]:
    """Load every ``*.yaml`` / ``*.yml`` file given, or found under the folders given.

    Folders are scanned recursively in sorted order, skipping ``sources/`` folders and hidden
    ones. All files are checked before anything is raised, and a deck ``id`` used by two files
    is a problem too.

    Raises:
        DeckFormatError: with every problem of every file.
    """
    files, problems = _deck_files([Path(path) for path in paths])
    decks: list[Deck] = []
    first_use: dict[str, tuple[str, int]] = {}
    for path in files:
        result = _check_path(path)
        file_problems = result.problems
        if result.slug is not None:
            slug, line = result.slug
            if slug in first_use:
                other, other_line = first_use[slug]
                file_problems.append(
                    DeckProblem(
                        str(path),
                        line,
                        None,
                        f"le paquet « {slug} » est déjà défini dans {other} (ligne {other_line})"
                        " : chaque fichier doit avoir son propre « id » de paquet",
                    )
                )
            else:
                first_use[slug] = (str(path), line)
        problems.extend(_in_line_order(file_problems))
        if result.deck is not None and not file_problems:
            decks.append(result.deck)
    if problems:
        raise DeckFormatError(problems)
    return decks


_KIND_LABELS = {
    QuestionKind.OPEN: ("ouverte", "ouvertes"),
    QuestionKind.CHOICE: ("à choix", "à choix"),
    QuestionKind.CLOZE: ("à trous", "à trous"),
    QuestionKind.TRUE_FALSE: ("vrai/faux", "vrai/faux"),
    QuestionKind.SELF_RATED: ("à auto-évaluer", "à auto-évaluer"),
}


def summarize(decks: Sequence[Deck]) -> str:
    """One French line, e.g. « 2 paquets, 57 questions : 20 ouvertes, 15 à choix, 2 vrai/faux »."""
    counts = Counter(question.kind for deck in decks for question in deck.questions)
    total = sum(counts.values())
    line = f"{count_fr(len(decks), 'paquet')}, {count_fr(total, 'question')}"
    parts = [count_fr(counts[k], *label) for k, label in _KIND_LABELS.items() if counts[k]]
    return f"{line} : {', '.join(parts)}" if parts else line


# --------------------------------------------------------------------------------------------
# Files


@dataclass
class _Result:
    """What checking one file gives: the deck if valid, its problems, and its deck id + line."""

    deck: Deck | None = None
    problems: list[DeckProblem] = field(default_factory=list)
    slug: tuple[str, int] | None = None


def _deck_files(paths: Iterable[Path]) -> tuple[list[Path], list[DeckProblem]]:
    files: list[Path] = []
    problems: list[DeckProblem] = []
    for path in paths:
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(
                    name
                    for name in subfolders
                    if name not in SKIPPED_DIRS and not name.startswith(".")
                )
                files.extend(
                    Path(folder) / name
                    for name in sorted(names)
                    if name.lower().endswith(YAML_SUFFIXES) and not name.startswith(".")
                )
        elif path.exists():  # a FIFO or a device too: _check_path refuses it unopened
            if path.name.lower().endswith(YAML_SUFFIXES):
                files.append(path)
            else:
                problems.append(
                    DeckProblem(str(path), None, None, "ce n'est pas un fichier .yaml ou .yml")
                )
        else:
            problems.append(DeckProblem(str(path), None, None, "fichier ou dossier introuvable"))
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values()), problems


def _check_path(path: Path) -> _Result:
    try:
        data = _read_regular_file(path)
    except _NotARegularFile:
        problem = DeckProblem(str(path), None, None, _NOT_REGULAR)
        return _Result(problems=[problem])
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        problem = DeckProblem(str(path), None, None, f"lecture impossible ({reason})")
        return _Result(problems=[problem])
    return _check_bytes(data, str(path))


def _check_bytes(data: bytes, filename: str) -> _Result:
    checker = _Checker(filename)
    root = _parse(data, checker)
    try:
        deck = checker.build(root) if root is not None else None
        _check_file_name(checker)
    except _TooManyProblems:
        deck = None
        checker.problems.append(
            DeckProblem(
                filename,
                None,
                None,
                f"plus de {MAX_PROBLEMS} problèmes : la vérification s'arrête là"
                " (corrigez d'abord ceux-ci, ou vérifiez que c'est bien un fichier de questions)",
            )
        )
    problems = _in_line_order(checker.problems)
    return _Result(deck if not problems else None, problems, checker.slug)


def _in_line_order(problems: list[DeckProblem]) -> list[DeckProblem]:
    """Whole-file problems first, then by line (stable: same line, order of discovery)."""
    return sorted(problems, key=lambda problem: problem.line or 0)


# --------------------------------------------------------------------------------------------
# Bytes -> YAML node tree


class _Refused(yaml.MarkedYAMLError):
    """A YAML feature question files do not need (its ``problem`` is already in French)."""


#: libyaml's parser when PyYAML was built with it (about 5 times faster than pure Python).
_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> Node | None:
    """The file's node tree (None if it holds no document).

    libyaml first; on any error, PyYAML's own parser again, whose messages are clearer (the
    French translation in :func:`_syntax_problem` is written for them).
    """
    if _FAST_LOADER is not None:
        try:
            return _compose_events(yaml.parse(text, Loader=_FAST_LOADER))
        except yaml.YAMLError:
            pass
    return _compose_events(yaml.parse(text, Loader=yaml.SafeLoader))


def _compose_events(events: Iterable[yaml.Event]) -> Node | None:
    """PyYAML's composer without recursion, anchors or aliases, and with a depth limit.

    Only the node tree is built: no Python object is ever constructed from YAML tags.
    """
    resolve = yaml.resolver.Resolver().resolve
    root: Node | None = None
    documents = 0
    # Open collections, each with the key waiting for its value (mappings only).
    stack: list[tuple[Node, list[Node]]] = []

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, pending = stack[-1]
        if isinstance(parent, SequenceNode):
            parent.value.append(node)
        elif pending:
            parent.value.append((pending.pop(), node))
        else:
            pending.append(node)

    for event in events:
        # libyaml's marks are another class with the same ``line`` and ``column``.
        start, end = cast(yaml.Mark, event.start_mark), cast(yaml.Mark, event.end_mark)
        if isinstance(event, yaml.AliasEvent) or (
            isinstance(event, yaml.NodeEvent) and event.anchor is not None
        ):
            raise _Refused(
                problem="les ancres « & » et les alias « * » de YAML ne sont pas acceptés :"
                " recopiez le texte à chaque endroit",
                problem_mark=start,
            )
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(
                    problem="plusieurs documents YAML (séparateur « --- ») : un fichier ne"
                    " contient qu'un paquet",
                    problem_mark=start,
                )
        elif isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(ScalarNode, event.value, event.implicit)
            attach(ScalarNode(tag, event.value, start, end, event.style))
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise _Refused(
                    problem=f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux) :"
                    " vérifiez l'indentation et les crochets",
                    problem_mark=start,
                )
            kind = SequenceNode if isinstance(event, yaml.SequenceStartEvent) else MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(kind, None, event.implicit)
            collection = kind(tag, [], start, None, event.flow_style)
            attach(collection)
            stack.append((collection, []))
        elif isinstance(event, yaml.CollectionEndEvent):
            stack.pop()[0].end_mark = end
    return root


def _parse(data: bytes, checker: _Checker) -> Node | None:
    """Decode and compose the file, or record why it cannot be read (then return None)."""
    if len(data) > MAX_FILE_BYTES:
        checker.add(
            None,
            None,
            f"le fichier dépasse {MAX_FILE_BYTES // 1024 // 1024} Mio :"
            " découpez-le en plusieurs fichiers (un paquet par texte ou par chapitre)",
        )
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # In characters, as an editor counts them: the line is valid UTF-8 up to the error.
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode()) + 1
        checker.add(
            line,
            None,
            f"le fichier n'est pas en UTF-8 (octet 0x{data[exc.start]:02X} à la position"
            f" {exc.start}, colonne {column}) : enregistrez-le en UTF-8"
            " (dans votre éditeur : « Enregistrer sous », encodage UTF-8)",
        )
        return None
    checker.lines = text.splitlines()
    try:
        root = _compose(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        checker.add(
            line,
            None,
            f"caractère invisible interdit (U+{exc.character:04X}, colonne {column}) :"
            " supprimez-le",
        )
        return None
    except yaml.MarkedYAMLError as exc:
        line, message = _syntax_problem(exc, checker.lines)
        checker.add(line, None, message)
        return None
    if root is None:
        checker.add(None, None, "le fichier est vide")
    return root


_QUOTE_ADVICE = (
    "entre apostrophes, une apostrophe s'écrit en double ('l''UE') ; entre guillemets, un"
    ' guillemet s\'écrit \\" ; le plus simple : entourez de guillemets " " un texte qui'
    " contient des apostrophes"
)


def _syntax_problem(exc: yaml.MarkedYAMLError, lines: Sequence[str]) -> tuple[int, str]:
    """PyYAML's syntax error as (line, French message); only the first one can be found."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(exc, _Refused):
        return line, exc.problem or ""
    problem, context = exc.problem or "", exc.context or ""
    opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
    if "quoted scalar" in context and "end of stream" in problem:
        return opened, "guillemet ouvert sur cette ligne mais jamais refermé"
    unclosed = _unclosed_quote(lines, line)
    if unclosed is not None:
        return unclosed, (
            f'guillemet « " » ouvert sur cette ligne mais jamais refermé'
            f" (YAML s'y perd ligne {line})"
        )
    if "'\\t'" in problem:
        return line, (
            f"tabulation (colonne {column}) : YAML n'accepte que des espaces pour indenter ;"
            " remplacez les tabulations par des espaces"
        )
    if problem.startswith("found character") or "expected the node content" in problem:
        return line, (
            f"une valeur ne peut pas commencer par « {_char_at(lines, line, column)} »"
            f" (colonne {column}) : mettez le texte entre guillemets"
        )
    if any(word in context for word in _SPECIAL_STARTS) and exc.context_mark is not None:
        where = exc.context_mark.column + 1
        return opened, (
            f"« {_char_at(lines, opened, where)} » a un sens particulier en YAML au début"
            f" d'une valeur (colonne {where}) : mettez le texte entre guillemets"
        )
    if "mapping values are not allowed" in problem:
        return line, (
            f"deux-points « : » inattendu (colonne {column}) : si le texte contient « : »,"
            " mettez-le entre guillemets ; sinon, vérifiez l'indentation"
        )
    if "sequence entries are not allowed" in problem:
        return line, (
            f"tiret « - » inattendu (colonne {column}) : un texte qui commence par « - » se"
            " met entre guillemets ; sinon, vérifiez l'indentation"
        )
    if "could not find expected ':'" in problem:
        return opened, (
            "ligne sans « : » : chaque ligne doit avoir la forme « clé: valeur »"
            " (vérifiez aussi les guillemets et l'indentation)"
        )
    if "escape character" in problem:
        return line, (
            f"barre oblique « \\ » inattendue entre guillemets (colonne {column}) :"
            " écrivez « \\\\ » ou utilisez des apostrophes ' ' autour du texte"
        )
    if "expected ',' or" in problem:
        return opened, (
            "crochet « [ » ou accolade « { » ouvert sur cette ligne mais jamais refermé (ou"
            " virgule manquante) ; un texte qui commence par « [ » ou « { » se met entre"
            " guillemets"
        )
    if "found '<scalar>'" in problem and 0 < line <= len(lines):
        start = _value_start(lines[line - 1])
        if start in ("'", '"'):
            return line, f"texte inattendu après le guillemet fermant (colonne {column}) : " + (
                _QUOTE_ADVICE
            )
        if start in ("[", "{"):
            return line, (
                f"un texte qui commence par « {start} » se met entre guillemets"
                ' (ex. « prompt: "{{2006}} est l\'année…" »)'
            )
    if any(
        part in problem for part in ("block end", "expected key", "'-' indicator", "<document")
    ):
        return line, (
            f"indentation incohérente (colonne {column}) : alignez cette ligne sur les autres"
            " clés du même niveau"
        )
    detail = f"{context} : {problem}" if context else problem
    return line, f"syntaxe YAML invalide (colonne {column}) : {detail}"


# Scanners whose error means a value started with %, &, *, !, | or > (special in YAML).
_SPECIAL_STARTS = ("directive", "anchor", "alias", "tag", "block scalar")


def _char_at(lines: Sequence[str], line: int, column: int) -> str:
    """The character at a 1-based position, shown so that a teacher can find it."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    char = text[column - 1] if 0 < column <= len(text) else ""
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char or chr(10)):04X}"


_VALUE_START = re.compile(r"\s*(?:-\s+)?(?:[^\s'\"\[{#][^:]*:\s+)?(\S)")
_QUOTED_VALUE = re.compile(r"^\s*(?:-\s+)?(?:[^\s'\"\[{#][^:]*:\s+)?\"")


def _value_start(line: str) -> str:
    """First character of the value on a ``key: value`` or ``- value`` line."""
    match = _VALUE_START.match(line)
    return match.group(1) if match else ""


def _unclosed_quote(lines: Sequence[str], before: int) -> int | None:
    """First line before ``before`` whose value opens a double quote and does not close it.

    A teacher's multi-line quoted text is rare; a forgotten closing quote is common and PyYAML
    then reports a confusing error several lines below.
    """
    for number, line in enumerate(lines[: before - 1], start=1):
        match = _QUOTED_VALUE.match(line)
        if match and len(re.findall(r'(?<!\\)"', line[match.end() :])) % 2 == 0:
            return number
    return None


# --------------------------------------------------------------------------------------------
# YAML node tree -> Deck, checking on the way


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _fold(text: str) -> str:
    """Comparison key: case, accents, apostrophes and spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", fold_apostrophes(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _suggestion(word: str, choices: Sequence[str], aliases: dict[str, str]) -> str | None:
    folded = _fold(word).replace(" ", "_")
    if aliases.get(folded) in choices:
        return aliases[folded]
    matches = difflib.get_close_matches(folded, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _slug(text: str, *, lower: bool) -> str:
    """A valid id close to ``text`` (for hints): no accents, no spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower() if lower else text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+" if lower else r"[^A-Za-z0-9_.]+", "-", bare).strip("-")


def _describe(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "une liste"
    if isinstance(node, MappingNode):
        return "un bloc de clés"
    return {_INT: "un nombre", _FLOAT: "un nombre", _NULL: "vide"}.get(node.tag, "un texte")


def _show(text: str, limit: int = 60) -> str:
    """Teacher text quoted in a message: on one line, and not too long."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


def _peek_id(node: MappingNode) -> str | None:
    """The question's ``id`` as written, to label its problems (it is checked later)."""
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
            return _show(str(value.value)) or None
    return None


class _Fields(dict[str, Node]):
    """The known keys of one YAML mapping, with their value nodes."""

    def __init__(self, node: MappingNode) -> None:
        super().__init__()
        self.node = node
        #: Keys suggested for a misspelled key: not also reported as missing.
        self.guessed: set[str] = set()


class _TooManyProblems(Exception):
    """Raised by :meth:`_Checker.add` past ``MAX_PROBLEMS``: the check stops."""


class _Checker:
    """Builds a Deck from one file's node tree, recording every problem met on the way."""

    def __init__(self, filename: str) -> None:
        self.file = filename
        self.problems: list[DeckProblem] = []
        self.slug: tuple[str, int] | None = None
        self.lines: Sequence[str] = ()

    def add(self, where: Node | int | None, question_id: str | None, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems
        line = _line(where) if isinstance(where, Node) else where
        self.problems.append(DeckProblem(self.file, line, question_id, message))

    # -- the file -----------------------------------------------------------------------------

    def build(self, root: Node) -> Deck | None:
        if not isinstance(root, MappingNode):
            self.add(
                root,
                None,
                "le fichier doit commencer par « version: 1 », puis « deck: » et « questions: »",
            )
            return None
        fields = self.mapping(root, TOP_KEYS, None)
        if not self.version(fields):
            return None
        deck_node = self.require(fields, "deck", None)
        header = self.header(deck_node) if deck_node is not None else None
        questions_node = self.require(fields, "questions", None)
        questions = self.questions(questions_node) if questions_node is not None else None
        if header is None or questions is None:
            return None
        slug, title, language, description, source = header
        return Deck(
            slug=slug,
            title=title,
            questions=questions,
            language=language,
            description=description,
            source_text=source,
            path=self.file,
        )

    def version(self, fields: _Fields) -> bool:
        """Check ``version``; False for another version (then nothing else is checked)."""
        node = self.require(fields, "version", None)
        if node is None:
            return True
        if isinstance(node, ScalarNode) and node.tag == _INT and _finite_number(node) is not None:
            if _finite_number(node) == FORMAT_VERSION:
                return True
            self.add(
                node,
                None,
                f"version {_show(node.value)} inconnue : ce programme lit la version"
                f" {FORMAT_VERSION} (écrivez « version: {FORMAT_VERSION} »)",
            )
            return False
        self.add(
            node,
            None,
            f"« version » doit être le nombre {FORMAT_VERSION}"
            f" (écrivez « version: {FORMAT_VERSION} », sans guillemets)",
        )
        return True

    def header(self, node: Node) -> tuple[str, str, str, str | None, str | None] | None:
        """The ``deck`` section: (id, title, language, description, source)."""
        if not isinstance(node, MappingNode):
            self.add(
                node, None, "« deck » doit contenir « id: … » et « title: … » (un bloc de clés)"
            )
            return None
        fields = self.mapping(node, DECK_KEYS, None)
        slug = self.deck_id(fields)
        title = self.text(fields, "title", None, required=_MISSING_HINTS["deck.title"])
        if title is not None and self.too_long(
            fields["title"], None, "le titre du paquet", title, MAX_DECK_TITLE
        ):
            title = None
        language = self.language(fields)
        description = self.text(fields, "description", None)
        source = self.source_path(fields)
        if slug is None or title is None or language is None:
            return None
        return slug, title, language, description, source

    def deck_id(self, fields: _Fields) -> str | None:
        slug = self.text(fields, "id", None, required=_MISSING_HINTS["deck.id"])
        if slug is None:
            return None
        if not DECK_ID.fullmatch(slug):
            self.add(
                fields["id"],
                None,
                f"identifiant de paquet « {_show(slug)} » invalide : minuscules sans accents,"
                " chiffres et tirets seulement, sans espace"
                f" (ex. « {_show(_slug(slug, lower=True)) or 'mon-paquet'} »)",
            )
            return None
        if self.too_long(fields["id"], None, "l'identifiant du paquet", slug, MAX_DECK_ID):
            return None
        self.slug = (slug, _line(fields["id"]))
        return slug

    def language(self, fields: _Fields) -> str | None:
        language = self.text(fields, "language", None)
        if language is None:
            return None if "language" in fields else "fr"
        if language not in LANGUAGES:
            self.add(
                fields["language"],
                None,
                f"« language » doit être fr ou en (et non « {_show(language)} »)",
            )
            return None
        return language

    def source_path(self, fields: _Fields) -> str | None:
        source = self.text(fields, "source", None)
        if source is not None and (
            PurePosixPath(source).is_absolute() or PureWindowsPath(source).is_absolute()
        ):
            self.add(
                fields["source"],
                None,
                "« source » doit être un chemin relatif au fichier de questions"
                " (ex. « sources/mon-texte.txt »)",
            )
            return None
        return source

    def questions(self, node: Node) -> tuple[Question, ...] | None:
        if not isinstance(node, SequenceNode) and not (
            isinstance(node, ScalarNode) and node.tag == _NULL
        ):
            self.add(
                node,
                None,
                "« questions » doit être une liste : chaque question commence par « - id: … »",
            )
            return None
        if not node.value:
            self.add(node, None, "la liste « questions » est vide : ajoutez au moins une question")
            return None
        seen: dict[str, int] = {}
        questions = [
            self.question(item, number, seen) for number, item in enumerate(node.value, start=1)
        ]
        valid = [question for question in questions if question is not None]
        return tuple(valid) if len(valid) == len(questions) else None

    # -- one question ---------------------------------------------------------------------------

    def question(self, node: Node, number: int, seen: dict[str, int]) -> Question | None:
        if not isinstance(node, MappingNode):
            self.add(
                node,
                None,
                f"la question n° {number} doit être un bloc de clés (« id », « kind »,"
                f" « prompt »…), pas {_describe(node)}",
            )
            return None
        before = len(self.problems)
        qid = _peek_id(node)
        fields = self.mapping(node, QUESTION_KEYS, qid)
        key = self.question_id(fields, qid, seen)
        kind = self.kind(fields, qid)
        prompt = self.text(fields, "prompt", qid, required=_MISSING_HINTS["prompt"])
        answer = self.answer(fields, qid, kind)
        accept = self.texts(fields, "accept", qid)
        explanation = self.text(fields, "explanation", qid)
        source = self.text(fields, "source", qid)
        tags = self.texts(fields, "tags", qid)
        confidence = self.confidence(fields, qid)
        distractors = self.options(fields, qid, kind, answer, accept or ())
        if kind is QuestionKind.CLOZE and prompt is not None:
            answer = self.cloze_answer(fields, qid, prompt, answer)
        elif kind is not None and prompt is not None and "{{" in prompt:
            self.add(
                fields["prompt"],
                qid,
                "« {{…}} » ne s'utilise que dans une question à trous (kind: cloze)",
            )
        _check_grading_limits(self, fields, qid, kind)
        if kind is QuestionKind.CHOICE and answer is not None and distractors is not None:
            _check_options_apart(self, fields, qid, answer, accept or ())
        if kind is QuestionKind.TRUE_FALSE and accept:
            self.add(
                fields["accept"],
                qid,
                "« accept » est inutile pour une question vrai/faux (réponse par boutons)",
            )
        if kind is QuestionKind.SELF_RATED and accept:
            self.add(
                fields["accept"],
                qid,
                "« accept » est inutile pour une carte à auto-évaluer (kind: self_rated) :"
                " l'élève voit la réponse et dit lui-même s'il la savait",
            )
        if len(self.problems) > before:
            return None
        # No new problem, so every check passed and none of these is None.
        assert key is not None and kind is not None and prompt is not None
        assert answer is not None and accept is not None and distractors is not None
        assert tags is not None
        return Question(
            key=key,
            kind=kind,
            prompt=prompt,
            answer=answer,
            accept=accept,
            distractors=distractors,
            explanation=explanation,
            source=source,
            tags=tags,
            confidence=confidence,
            line=_line(node),
        )

    def question_id(self, fields: _Fields, qid: str | None, seen: dict[str, int]) -> str | None:
        key = self.text(fields, "id", qid, required=_MISSING_HINTS["id"])
        if key is None:
            return None
        node = fields["id"]
        if not QUESTION_ID.fullmatch(key):
            self.add(
                node,
                qid,
                f"identifiant « {_show(key)} » invalide : lettres sans accents, chiffres,"
                " « - », « _ » et « . » seulement, sans espace"
                f" (ex. « {_show(_slug(key, lower=False)) or 'question-1'} »)",
            )
            return None
        if self.too_long(node, qid, "l'identifiant de la question", key, MAX_QUESTION_ID):
            return None
        if key in seen:
            self.add(
                node,
                qid,
                f"identifiant « {_show(key)} » déjà utilisé par la question de la ligne"
                f" {seen[key]} : chaque question doit avoir son propre « id »",
            )
            return None
        seen[key] = _line(node)
        return key

    def kind(self, fields: _Fields, qid: str | None) -> QuestionKind | None:
        text = self.text(fields, "kind", qid, required=_MISSING_HINTS["kind"])
        if text is None:
            return None
        if text in KINDS:
            return QuestionKind(text)
        guess = _suggestion(text, KINDS, _KIND_ALIASES)
        hint = (
            f"vouliez-vous dire « {guess} » ?"
            if guess
            else "types possibles : " + ", ".join(KINDS)
        )
        self.add(fields["kind"], qid, f"type de question inconnu « {_show(text)} » : {hint}")
        return None

    def answer(self, fields: _Fields, qid: str | None, kind: QuestionKind | None) -> str | None:
        """The answer as written (a cloze's is checked later against its gap)."""
        node = fields.get("answer")
        if node is None:
            if kind is QuestionKind.TRUE_FALSE:
                self.require(fields, "answer", qid, "il manque « answer » (vrai ou faux)")
            elif kind is not None and kind is not QuestionKind.CLOZE:
                self.require(fields, "answer", qid)
            return None
        if kind is QuestionKind.TRUE_FALSE:
            return self.true_false(node, qid)
        if isinstance(node, SequenceNode):
            self.add(
                node,
                qid,
                "« answer » doit être une seule réponse, pas une liste : mettez les autres"
                " réponses correctes dans « accept »",
            )
            return None
        return self.scalar_text(node, "answer", qid)

    def true_false(self, node: Node, qid: str | None) -> str | None:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            # YAML 1.1 booleans: true/false, yes/no, on/off.
            return TRUE_ANSWER if node.value.lower() in ("true", "yes", "on") else FALSE_ANSWER
        text = self.scalar_text(node, "answer", qid)
        if text is None:
            return None
        if text.lower() in (TRUE_ANSWER, FALSE_ANSWER):
            return text.lower()
        self.add(
            node,
            qid,
            "pour une question vrai/faux, « answer » doit être vrai ou faux"
            f" (et non « {_show(text)} »)",
        )
        return None

    def options(
        self,
        fields: _Fields,
        qid: str | None,
        kind: QuestionKind | None,
        answer: str | None,
        accept: tuple[str, ...],
    ) -> tuple[str, ...] | None:
        """The wrong answers: from ``distractors`` or ``choices``, only for ``choice``."""
        if kind is not QuestionKind.CHOICE:
            for key in ("distractors", "choices"):
                if key in fields and kind is None:
                    self.text_items(fields[key], key, qid)
                elif key in fields:
                    self.add(
                        fields[key],
                        qid,
                        f"« {key} » ne sert qu'aux questions à choix (kind: choice)",
                    )
            return ()
        if "distractors" in fields and "choices" in fields:
            self.add(
                fields["choices"],
                qid,
                "donnez soit « distractors » (les mauvaises réponses), soit « choices » (toutes"
                " les propositions, bonne réponse comprise), pas les deux",
            )
            return None
        if "choices" in fields:
            return self.choices(fields["choices"], qid, answer)
        node = self.require(
            fields,
            "distractors",
            qid,
            "il manque « distractors » : une question à choix a besoin d'au moins"
            " 2 mauvaises réponses",
        )
        items = self.text_items(node, "distractors", qid) if node is not None else None
        if node is None or items is None:
            return None
        ok = True
        wrong: list[tuple[str, Node]] = []
        for text, item in items:
            if answer is not None and _fold(text) == _fold(answer):
                self.add(
                    item,
                    qid,
                    f"« {_show(text)} » est la bonne réponse : retirez-la de « distractors »",
                )
                ok = False
            elif any(_fold(text) == _fold(other) for other in accept):
                self.add(
                    item,
                    qid,
                    f"« {_show(text)} » est une réponse acceptée (« accept ») : retirez-la de"
                    " « distractors »",
                )
                ok = False
            else:
                wrong.append((text, item))
        ok = self.distinct(wrong, "distractors", qid) and ok
        if len(items) < 2:
            self.add(
                node,
                qid,
                f"il faut au moins 2 mauvaises réponses dans « distractors » (il y en a"
                f" {len(items)})",
            )
            return None
        return tuple(text for text, _ in wrong) if ok else None

    def choices(self, node: Node, qid: str | None, answer: str | None) -> tuple[str, ...] | None:
        items = self.text_items(node, "choices", qid)
        if items is None:
            return None
        ok = self.distinct(items, "choices", qid)
        if answer is None:
            return None
        wrong = tuple(text for text, _ in items if _fold(text) != _fold(answer))
        if len(wrong) == len(items):
            self.add(node, qid, f"« choices » doit contenir la bonne réponse « {_show(answer)} »")
            return None
        if len(wrong) < 2:
            self.add(
                node,
                qid,
                "« choices » doit contenir la bonne réponse et au moins 2 autres propositions",
            )
            return None
        return wrong if ok else None

    def distinct(self, items: list[tuple[str, Node]], key: str, qid: str | None) -> bool:
        """False (and a problem per repeat) if two items are the same but for case or accents."""
        seen: set[str] = set()
        for text, node in items:
            if _fold(text) in seen:
                self.add(node, qid, f"« {_show(text)} » figure deux fois dans « {key} »")
            seen.add(_fold(text))
        return len(seen) == len(items)

    def cloze_answer(
        self, fields: _Fields, qid: str | None, prompt: str, answer: str | None
    ) -> str | None:
        """A cloze's answer is its gap's text; an explicit ``answer`` must be the same text."""
        where = fields["prompt"]
        gaps = [gap.strip() for gap in CLOZE_GAP.findall(prompt)]
        if len(gaps) > 1:
            self.add(
                where,
                qid,
                f"{len(gaps)} trous « {{{{…}}}} » : une question à trous n'en a qu'un"
                " (faites une question par trou)",
            )
            return None
        if not gaps or not gaps[0]:
            empty = "{{}}" in prompt or bool(gaps)
            self.add(
                where,
                qid,
                "trou vide : écrivez la réponse entre les doubles accolades, ex. « En {{2006}} »"
                if empty
                else "aucun trou : écrivez la réponse entre doubles accolades dans « prompt »,"
                " ex. « En {{2006}}, l'UE… »",
            )
            return None
        if answer is not None and answer != gaps[0]:
            self.add(
                fields["answer"],
                qid,
                f"« answer » (« {_show(answer)} ») diffère du trou"
                f" « {{{{{_show(gaps[0])}}}}} » : supprimez « answer » (le texte du trou"
                " suffit) ou corrigez l'un des deux",
            )
            return None
        return gaps[0]

    def confidence(self, fields: _Fields, qid: str | None) -> float | None:
        node = fields.get("confidence")
        if node is None:
            return None
        if not (isinstance(node, ScalarNode) and node.tag in (_INT, _FLOAT)):
            self.add(node, qid, "« confidence » doit être un nombre entre 0 et 1 (ex. 0.8)")
            return None
        value = _finite_number(node)
        if value is None or not 0 <= value <= 1:
            self.add(
                node, qid, f"« confidence » doit être entre 0 et 1 (et non {_show(node.value)})"
            )
            return None
        return value

    # -- generic fields -------------------------------------------------------------------------

    def mapping(self, node: MappingNode, allowed: Sequence[str], qid: str | None) -> _Fields:
        """Known keys -> value nodes; unknown, repeated or odd keys are problems."""
        self.tag(node, qid)
        fields = _Fields(node)
        lines: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.add(key, qid, "clé invalide : une clé est un simple mot suivi de « : »")
                continue
            name = str(key.value)
            if name in lines:
                self.add(key, qid, f"clé « {_show(name)} » en double (déjà ligne {lines[name]})")
                continue
            lines[name] = _line(key)
            if name in allowed:
                fields[name] = value
                continue
            guess = _suggestion(name, allowed, _KEY_ALIASES)
            if guess:
                fields.guessed.add(guess)
                hint = f"vouliez-vous dire « {guess} » ?"
            else:
                hint = "clés possibles : " + ", ".join(allowed)
            self.add(key, qid, f"clé inconnue « {_show(name)} » : {hint}")
        return fields

    def require(
        self, fields: _Fields, key: str, qid: str | None, message: str | None = None
    ) -> Node | None:
        """The value node of ``key``, or None and a problem (unless a misspelling was flagged)."""
        node = fields.get(key)
        if node is None and key not in fields.guessed:
            self.add(fields.node, qid, message or _MISSING_HINTS[key])
        return node

    def tag(self, node: Node, qid: str | None) -> bool:
        """False (and a problem) for an explicit YAML tag such as ``!!python/object``."""
        if node.tag in _TEXT_TAGS or node.tag in (_BOOL, _NULL, _SEQ, _MAP):
            return True
        self.add(
            node, qid, f"étiquette YAML « {_show(_tag_name(node.tag))} » non acceptée : retirez-la"
        )
        return False

    def text(
        self, fields: _Fields, key: str, qid: str | None, *, required: str | None = None
    ) -> str | None:
        """A text field; ``required`` is the message when it is missing (None: optional)."""
        node = self.require(fields, key, qid, required) if required else fields.get(key)
        if node is None:
            return None
        return self.scalar_text(node, key, qid, optional=required is None)

    def scalar_text(
        self, node: Node, key: str, qid: str | None, *, optional: bool = False, item: bool = False
    ) -> str | None:
        """A scalar's text as written, stripped: numbers are texts; booleans, nulls are not.

        ``item`` words the messages for an element of the list ``key``.
        """
        label = f"un élément de « {key} »" if item else f"« {key} »"
        if not self.tag(node, qid):
            return None
        if not isinstance(node, ScalarNode):
            self.add(
                node,
                qid,
                f"{label} doit être un texte, pas {_describe(node)} (un texte qui commence"
                " par « [ », « { » ou « - » se met entre guillemets)",
            )
            return None
        if node.tag == _BOOL:
            self.add(
                node,
                qid,
                f"{label} vaut « {node.value} », que YAML lit comme vrai/faux :"
                f' mettez-le entre guillemets ("{node.value}")',
            )
            return None
        text = "" if node.tag == _NULL else _join_surrogate_pairs(str(node.value)).strip()
        if text and not self.bad_character(node, qid, label, text):
            return text
        if text:
            return None
        message = f"{label} est vide"
        if optional:
            message += " : remplissez-le ou supprimez la ligne"
        line = _line(node)
        if node.tag == _NULL and line <= len(self.lines) and "#" in self.lines[line - 1]:
            message += " (« # » commence un commentaire : mettez le texte entre guillemets)"
        self.add(node, qid, message)
        return None

    def texts(self, fields: _Fields, key: str, qid: str | None) -> tuple[str, ...] | None:
        """An optional list of texts: ``()`` when absent, None when invalid."""
        if key not in fields:
            return ()
        items = self.text_items(fields[key], key, qid)
        return None if items is None else tuple(text for text, _ in items)

    def text_items(self, node: Node, key: str, qid: str | None) -> list[tuple[str, Node]] | None:
        """A list of texts with their nodes (for line numbers); None (and problems) if invalid."""
        if not self.tag(node, qid):
            return None
        if not isinstance(node, SequenceNode):
            self.add(
                node,
                qid,
                f"« {key} » doit être une liste, pas {_describe(node)}"
                f' (ex. « {key}: ["…", "…"] »)',
            )
            return None
        texts = [(self.scalar_text(item, key, qid, item=True), item) for item in node.value]
        items = [(text, item) for text, item in texts if text is not None]
        return items if len(items) == len(texts) else None

    # -- what the database and a terminal take (issue 17) ---------------------------------------

    def too_long(self, node: Node, qid: str | None, label: str, text: str, limit: int) -> bool:
        """True (and a problem) when ``text`` is longer than its database column."""
        if len(text) <= limit:
            return False
        self.add(
            node,
            qid,
            f"{label} dépasse {limit} caractères (il en a {len(text)}) : raccourcissez-le",
        )
        return True

    def bad_character(self, node: Node, qid: str | None, label: str, text: str) -> bool:
        """True (and a problem) when ``text`` holds a character that cannot be stored (NUL,
        half of a surrogate pair) or that drives a terminal (escape sequences, controls)."""
        bad = next((c for c in text if _is_unwanted(c)), None)
        if bad is None:
            return False
        self.add(
            node,
            qid,
            f"{label} contient le caractère invisible « {_escaped(bad)} » (souvent un « \\ »"
            " suivi d'une lettre, écrit entre guillemets doubles) : retirez-le",
        )
        return True


# --------------------------------------------------------------------------------------------
# Hostile input (issue 17): numbers, characters, file names and special files


def _finite_number(node: ScalarNode) -> float | None:
    """The number a scalar tagged int or float stands for, or None when it is none
    (``!!int abc``, ``0x_``, ``0b_``, more digits than Python converts, beyond a float)."""
    try:
        value = float(SafeConstructor().construct_object(node))
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    return value if math.isfinite(value) else None


#: Explicit bidirectional controls: they reorder the text a terminal shows.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_unwanted(char: str) -> bool:
    """NUL and the other controls but tab and line breaks, C1 controls, lone surrogates."""
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cs")


def _join_surrogate_pairs(text: str) -> str:
    """YAML's ``"\\ud83d\\ude00"`` gives two surrogates: one character (😀), as JSON would.
    Lone surrogates are left (:func:`_is_unwanted` reports them)."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return re.sub(
        "[\ud800-\udbff][\udc00-\udfff]",
        lambda pair: pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"),
        text,
    )


def _escaped(text: str) -> str:
    """``text`` with every control, surrogate and bidirectional control written as an escape
    (``\\x1b``, ``\\ud800``): printed to a terminal, a question file cannot move the cursor,
    retitle the window or clear the screen."""
    if all(c.isprintable() or c == " " for c in text):
        return text
    return "".join(
        (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        if unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI_CONTROLS
        else c
        for c in text
    )


def _check_file_name(checker: _Checker) -> None:
    """The file's path is kept in the database (``decks.source_file``)."""
    if len(checker.file) > MAX_SOURCE_FILE:
        checker.problems.append(
            DeckProblem(
                checker.file,
                None,
                None,
                f"chemin du fichier trop long ({len(checker.file)} caractères) :"
                f" {MAX_SOURCE_FILE} au plus",
            )
        )


class _NotARegularFile(Exception):
    """A FIFO, a device or a socket named ``*.yaml``: never read (it could block for ever)."""


_NOT_REGULAR = (
    "ce n'est pas un fichier ordinaire (tube, périphérique…) : il n'est pas lu ;"
    " retirez-le du dossier des questions"
)


def _read_regular_file(path: Path) -> bytes:
    """The first ``MAX_FILE_BYTES + 1`` bytes of ``path``, a regular file.

    Opened without blocking (a FIFO's ``open`` waits for a writer), then checked on the open
    descriptor itself (no race with a rename), so only a regular file is ever read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotARegularFile
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)


# -- what grading needs (issue 16): options a typed answer tells apart, bounded inputs ---------

#: Accepted alternatives of one question: grading tries each, so the cost of a wrong answer
#: grows with them (a file with 14,000 made one answer take 26 s).
MAX_ALTERNATIVES = 50
#: Options of a multiple-choice question (three are shown at a time), and tags.
MAX_LIST_ENTRIES = 50
#: Items of one list answer (« Russie, Chine et Inde »): matched item by item.
MAX_ANSWER_ITEMS = 20
#: Characters of an expected answer or alternative.
MAX_ANSWER_CHARS = 300
#: A self-rated card's answer is read, not typed: it may be a sentence or two.
MAX_REVEALED_CHARS = 600
#: Numbers and dates in one expected answer or alternative (each is compared to the answer's).
MAX_ANSWER_NUMBERS = 10
#: What grading one answer reads over the answer and all its alternatives together: the
#: characters, the list items and the numbers (the cost of a wrong answer grows with them;
#: bench/grading_time.py measures the worst file within these limits).
MAX_QUESTION_CHARS = 4000
MAX_QUESTION_ITEMS = 200
MAX_QUESTION_NUMBERS = 60


def _scalar_items(node: Node | None) -> list[tuple[str, Node]]:
    """The scalar items of a list node as written (stripped), with their nodes."""
    if not isinstance(node, SequenceNode):
        return []
    return [
        (str(item.value).strip(), item)
        for item in node.value
        if isinstance(item, ScalarNode) and item.tag != _NULL
    ]


def _check_grading_limits(
    checker: _Checker, fields: _Fields, qid: str | None, kind: QuestionKind | None
) -> None:
    """Bound what grading one answer costs: alternatives, list entries, items, lengths."""
    limits = (("accept", MAX_ALTERNATIVES), ("distractors", MAX_LIST_ENTRIES))
    for key, limit in (*limits, ("choices", MAX_LIST_ENTRIES), ("tags", MAX_LIST_ENTRIES)):
        node = fields.get(key)
        if isinstance(node, SequenceNode) and len(node.value) > limit:
            checker.add(
                node,
                qid,
                f"« {key} » a {len(node.value)} éléments : {limit} au maximum"
                " (gardez les plus utiles)",
            )
    if kind is QuestionKind.TRUE_FALSE:
        return
    answer = fields.get("answer")
    if kind is QuestionKind.SELF_RATED:
        # Shown, never graded: only its length is bounded (it must fit on a screen).
        if isinstance(answer, ScalarNode) and len(str(answer.value).strip()) > MAX_REVEALED_CHARS:
            checker.add(
                answer,
                qid,
                f"réponse de {len(str(answer.value).strip())} caractères :"
                f" {MAX_REVEALED_CHARS} au maximum pour une carte à auto-évaluer"
                " (mettez le reste dans « explanation »)",
            )
        return
    texts = [(str(answer.value).strip(), answer)] if isinstance(answer, ScalarNode) else []
    chars = items = numbers = 0
    for text, node in texts + _scalar_items(fields.get("accept")):
        if len(text) > MAX_ANSWER_CHARS:
            checker.add(
                node,
                qid,
                f"réponse de {len(text)} caractères : {MAX_ANSWER_CHARS} au maximum (une"
                " réponse se tape en une ligne ; mettez le reste dans « explanation »)",
            )
            return
        count, found = len(answer_items(text)), answer_numbers(text)
        if count > MAX_ANSWER_ITEMS:
            checker.add(
                node,
                qid,
                f"« {_show(text)} » est une liste de {count} éléments :"
                f" {MAX_ANSWER_ITEMS} au maximum",
            )
            return
        if found > MAX_ANSWER_NUMBERS:
            checker.add(
                node,
                qid,
                f"« {_show(text)} » contient {found} nombres ou dates :"
                f" {MAX_ANSWER_NUMBERS} au maximum",
            )
            return
        chars, items, numbers = chars + len(text), items + count, numbers + found
    if chars > MAX_QUESTION_CHARS or items > MAX_QUESTION_ITEMS or numbers > MAX_QUESTION_NUMBERS:
        checker.add(
            fields.get("accept") or fields.node,
            qid,
            f"la réponse et ses variantes (« accept ») sont trop longues ensemble ({chars}"
            f" caractères, {items} éléments, {numbers} nombres ; au plus {MAX_QUESTION_CHARS},"
            f" {MAX_QUESTION_ITEMS} et {MAX_QUESTION_NUMBERS}) : gardez les variantes utiles",
        )


def _check_options_apart(
    checker: _Checker, fields: _Fields, qid: str | None, answer: str, accept: Sequence[str]
) -> None:
    """Refuse options that a typed answer could not tell apart (« Russie », « la Russie »,
    « Russie. »: same :func:`~bot.domain.grading.option_key`), and an accepted alternative
    that names a wrong option. Options that differ by a symbol (« C++ », « C# ») are kept."""
    listed = _scalar_items(fields.get("choices")) or _scalar_items(fields.get("distractors"))
    answer_node = fields.get("answer") or fields.node
    seen: dict[str, str] = {}
    for text, node in [(answer, answer_node), *listed]:
        key = option_key(text)
        if key in seen:
            if _fold(seen[key]) != _fold(text):  # exact repeats are reported already
                checker.add(
                    node,
                    qid,
                    f"« {_show(text)} » et « {_show(seen[key])} » ne se distinguent pas quand"
                    " on tape sa réponse (majuscules, accents, article ou ponctuation finale) :"
                    " changez l'une des deux propositions",
                )
            continue
        seen[key] = text
    for text, node in _scalar_items(fields.get("accept")):
        other = seen.get(option_key(text))
        if other is not None and other != answer and option_key(other) != option_key(answer):
            checker.add(
                node,
                qid,
                f"« {_show(text)} » est acceptée, mais c'est aussi la mauvaise réponse"
                f" « {_show(other)} » : retirez-la de « accept »",
            )
