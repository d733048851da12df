"""Stage 2, health: Apple Health payloads and exports → data/health.json."""
