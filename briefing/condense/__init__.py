"""Stage 3, condense: each article -> its most important statements (extractive, Lead, or a seq2seq model), each cited."""
