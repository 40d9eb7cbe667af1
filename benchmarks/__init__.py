"""Goofer's benchmarks: whole-process timings of Goofer, its peers and a raw DB-API floor."""
