"""The data/ files every stage shares: their declared formats, atomic storage, merging, the commit
step."""
