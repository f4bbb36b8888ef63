"""Dashboard tests that drive a real Chromium (and the datasets every dashboard test uses)."""
