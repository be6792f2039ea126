"""Stage 2, stories: group the day's articles so that each story is briefed on its own."""
