"""make bench: the pipeline measured against the targets (see run.py)."""
