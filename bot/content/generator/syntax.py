"""Helpers over spaCy's dependency tree: noun phrases, gender, joining tokens back to text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.content.generator import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Dependents left out of a noun phrase or a clause reused in a question (side remarks).
SIDE_DEPS = frozenset(
    {"acl:relcl", "appos", "parataxis", "dislocated", "vocative", "discourse", "advcl"}
)
_VOWEL = re.compile(r"^[aeiouyhàâéèêëîïôöûüAEIOUYHÀÂÉÈÊÎÔÛ]")


def compound(tok: Token) -> str:
    """A hyphenated name the tokenizer split (« Royaume » « - » « Uni » → « Royaume-Uni »)."""
    doc = tok.doc
    end = tok.i
    while (
        end + 2 < len(doc)
        and doc[end + 1].text == "-"
        and not doc[end].whitespace_
        and not doc[end + 1].whitespace_
    ):
        end += 2
    return doc[tok.i : end + 1].text if end > tok.i else tok.text


def _hyphen_part(tok: Token) -> bool:
    """« - » or « Uni » in « Royaume-Uni »: part of a name, not a coordinated noun."""
    doc = tok.doc
    return tok.text == "-" or (
        tok.i > 0 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_
    )


def gender(tok: Token) -> str | None:
    """Gender of a noun: lexicon, then morphology, then its determiner or adjectives."""
    if tok.text in lexicon.NOUN_GENDER:
        return lexicon.NOUN_GENDER[tok.text]
    country = lexicon.country_form(compound(tok))
    if country is not None:
        return country[1]
    if tok.lower_ in {"elle", "elles"}:
        return "Fem"
    if tok.lower_ in {"il", "ils"}:
        return "Masc"
    for child in tok.children:
        if child.dep_ == "det" and child.lower_ in {"la", "une", "cette"}:
            return "Fem"
        if child.dep_ == "det" and child.lower_ in {"le", "un", "ce", "cet"}:
            return "Masc"
    found = tok.morph.get("Gender", [])
    if found and tok.pos_ != "PROPN":
        return found[0]
    for child in tok.children:
        if child.dep_ == "amod" and child.i > tok.i:
            g = child.morph.get("Gender", [])
            if g:
                return g[0]
    return found[0] if found else None


def plural(tok: Token) -> bool:
    name = compound(tok)
    if name in lexicon.COUNTRIES:
        return lexicon.COUNTRIES[name][2]
    if any(c.dep_ == "conj" and not _hyphen_part(c) for c in tok.children) and tok.pos_ != "VERB":
        return True
    return "Plur" in tok.morph.get("Number", [])


def paren_ranges(tokens: Iterable[Token]) -> set[int]:
    """Indices of tokens inside parentheses or dashes (incidental remarks)."""
    inside: set[int] = set()
    depth = 0
    dash_open = False
    for tok in tokens:
        if tok.text == "(":
            depth += 1
        if depth or dash_open or tok.text in {"–", "—"}:
            inside.add(tok.i)
        if tok.text in {"–", "—"}:
            dash_open = not dash_open
        if tok.text == ")" and depth:
            depth -= 1
    return inside


def collect(tok: Token, skip: set[int], drop_deps: frozenset[str] = SIDE_DEPS) -> list[Token]:
    """The subtree of ``tok`` minus ``skip``-ed subtrees and side remarks, in text order."""
    out: list[Token] = []

    def walk(t: Token) -> None:
        if t.i in skip:
            return
        out.append(t)
        for child in t.children:
            if child.dep_ in drop_deps:
                continue
            walk(child)

    walk(tok)
    hidden = paren_ranges(tok.sent)
    if tok.i in hidden:  # the phrase is itself a remark in parentheses: keep it whole
        hidden = set()
    return sorted((t for t in out if t.i not in hidden), key=lambda t: t.i)


def join(tokens: Iterable[Token]) -> str:
    """Tokens back to text; a hole in the sequence becomes one space."""
    parts: list[str] = []
    prev: Token | None = None
    for tok in tokens:
        if prev is not None:
            if tok.i == prev.i + 1:
                parts.append(prev.whitespace_)
            elif not prev.text.endswith("'"):
                parts.append(" ")
        word = tok.text
        if tok.is_sent_start and tok.pos_ not in {"PROPN"} and not word[1:2].isupper():
            word = word[0].lower() + word[1:]
        parts.append(word)
        prev = tok
    return tidy("".join(parts))


def tidy(text: str) -> str:
    """Repair punctuation left over after cutting tokens out of a sentence."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:)])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"«\s*»", "", text)
    text = re.sub(r"^[\s,;:.–—-]+|[\s,;:–—-]+$", "", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def elide(word: str, following: str) -> str:
    """« de » + « ex-républiques » → « d'ex-républiques »."""
    if word in {"de", "que", "ne", "se", "le", "la", "je"} and _VOWEL.match(following):
        return word[:-1] + "'" + following
    return f"{word} {following}"


def definite(np_text: str) -> str:
    """« des manœuvres » → « les manœuvres » (an indefinite plural subject reads badly)."""
    if np_text.startswith("des "):
        return "les " + np_text[4:]
    return np_text


def with_de(np_text: str, gender_: str | None) -> str:
    """« le crédit » → « du crédit », « un crédit » → « du crédit », « la Chine » → « de la … »."""
    low = np_text.lower()
    for art, repl in (
        ("le ", "du "),
        ("les ", "des "),
        ("des ", "des "),
        ("la ", "de la "),
        ("l'", "de l'"),
    ):
        if low.startswith(art):
            return repl + np_text[len(art) :]
    if low.startswith("un "):
        return "du " + np_text[3:]
    if low.startswith("une "):
        return "de la " + np_text[4:]
    return elide("de", np_text)
