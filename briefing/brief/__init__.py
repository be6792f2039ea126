"""Stage 5, brief: merged points -> sections (bottom line, key points, background, positions, timeline,
figures, where sources differ) -> Markdown and JSON."""
