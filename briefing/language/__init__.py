"""What a sentence says about itself, read once and shared by every stage.

`read(text)` gives a sentence's `SentenceFacts`: how it opens (on a connective or a pronoun
that points back), whether it is a question, a fragment or a piece of a quotation, and the
people it names. English is parsed with spaCy's small English pipeline when one is installed
(`briefing.language.english`), else read by the rules here; `reader()` says which. Korean
figure and attribution sentences are read with Kiwi when installed (`briefing.language.korean`:
`SentenceFacts.counted_noun`, `korean_subject`), else by the stages' rules; `korean_reader()` says which.
"""

from briefing.language.facts import SentenceFacts, korean_reader, read, read_all, reader, reset

__all__ = ["SentenceFacts", "korean_reader", "read", "read_all", "reader", "reset"]
