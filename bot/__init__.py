"""quizbot: learn a French text by answering questions about it, with FSRS spaced repetition."""

__version__ = "0.1.0"
