"""A hand-made :class:`Draft` for the refusal tests: the item as the pipeline would hand it to
the checks, from an invented sentence."""

from __future__ import annotations

from bot.content.generator.model import AnswerType, Draft


def make_draft(
    prompt: str,
    answer: str,
    type_: AnswerType,
    source: str = "",
    *,
    cloze: bool = False,
    truth: bool | None = None,
    notes: list[str] | None = None,
    distractors: tuple[str, ...] = (),
) -> Draft:
    """A draft of sentence 0 whose source is ``source`` (the prompt when not given)."""
    return Draft(
        cloze=cloze,
        prompt=prompt,
        answer=answer,
        type=type_,
        source=source or prompt,
        sentence=0,
        value=answer,
        confidence=0.8,
        truth=truth,
        notes=notes or [],
        distractors=distractors,
    )
