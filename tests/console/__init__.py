"""Terminal quiz tests."""
