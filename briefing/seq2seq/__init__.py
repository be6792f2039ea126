"""Local seq2seq models: the registry, finding and loading them offline, generation, quantisation,
the output cache and Ray scale-out."""
