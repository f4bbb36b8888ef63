"""Benchmarks and synthetic data for scale tests."""
