"""Measurements of each stage on public evaluation sets (ROUGE, coverage, stories, support, translation, Korean input)."""
