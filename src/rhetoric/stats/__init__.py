"""Statistics over the counts model and the pattern layer: each module is named after what it computes."""
