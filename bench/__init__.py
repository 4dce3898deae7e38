"""Benchmarks: run with `make bench` (see each module's docstring for its method)."""
