"""incident-map: news articles in, dated, geocoded, sourced incidents out."""

__version__ = "0.1.0"
