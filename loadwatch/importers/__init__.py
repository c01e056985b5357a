"""Readers for activity files: FIT, GPX, TCX and Strava bulk exports.

Each reader turns one file's bytes into :class:`~loadwatch.importers.base.Activity`
records; :mod:`loadwatch.importers.scan` walks folders and exports.
"""
