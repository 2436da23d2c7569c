"""zhen's benchmarks: `bench/run.py` (speed and memory) and `bench/glossary_stats.py`."""
