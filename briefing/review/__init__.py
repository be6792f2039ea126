"""After the brief: read a draft back, check it against its sources, preview it as HTML, diff two briefs."""
