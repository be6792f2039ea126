"""briefing: turn a folder of news articles into cited English and Korean policy briefs.

Importing the package is cheap on purpose: torch and transformers are imported only by the
seq2seq backends, when one is actually used.
"""

__version__ = "0.1.0"
