"""Pure rules of the product: no Telegram, no SQLAlchemy, no YAML, no spaCy (ruff TID251)."""
