"""Question content: the teachers' YAML files (:mod:`bot.content.deckfile`) and the generator."""
