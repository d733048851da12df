"""Stage 3, the build: data/ → frames → model → charts → pages in site/."""
