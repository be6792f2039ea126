"""Stage 1, ingest: a folder of files -> Articles (decoded, boilerplate stripped, metadata read, sentences with line spans)."""
