"""Benchmarks of the course package; each is a module run as ``python -m bench.NAME``."""
