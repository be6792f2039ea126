"""Translation of points and of Markdown files, behind one Translator interface (none, or a seq2seq model)."""
