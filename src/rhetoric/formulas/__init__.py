"""Formula phrases (tifa): the lexicon, counts per document and group, discovery of new ones, their renderings
across translations, framing by dictionary, and the numeric claims the texts make."""
