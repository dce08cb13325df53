"""Handlers: one module per feature, each with ``register(app)``; wired in :mod:`bot.tg.app`."""
