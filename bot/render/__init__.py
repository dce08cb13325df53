"""Presentation shared by both front ends: progress text and the progress chart."""
