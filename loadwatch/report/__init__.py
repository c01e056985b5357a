"""Renderers: text, Markdown, HTML and JSON reports, and the charts."""
