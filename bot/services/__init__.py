"""Use cases. Each public method owns its transaction and returns plain values."""
