"""Repositories: take a Session, return plain values, never commit."""
