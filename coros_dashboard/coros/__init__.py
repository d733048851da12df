"""Stage 1, the fetch: COROS Training Hub → data/ (client, activities, daily metrics, profile,
details)."""
