"""The French question generator behind ``quizbot generate`` (spaCy is imported lazily)."""
