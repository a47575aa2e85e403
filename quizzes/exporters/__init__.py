"""Question-bank exporters, one module per format; each round-trips with its importer."""
