"""Benchmarks: the contest-day load harness (bench_round, simulate_round) and micro benchmarks.

A package so that the management commands can import the harness; the micro benchmarks are
also plain scripts (``python bench/<name>.py``).
"""
