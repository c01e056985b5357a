"""Hostile and unlucky input: one module per topic of issue 11."""
