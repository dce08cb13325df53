"""Work done outside the bot's process (the question generator and its spaCy model)."""
