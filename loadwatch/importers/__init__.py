"""Readers for activity files: FIT, GPX, TCX, Strava, Garmin and Apple Health exports.

Each reader turns one file's bytes into :class:`~loadwatch.importers.base.Activity`
records (:mod:`~loadwatch.importers.detect` picks one by content).
:func:`loadwatch.importers.scan.import_paths` is the way in: it walks folders
(:mod:`~loadwatch.importers.walk`), reads every file through the parse cache
(:mod:`~loadwatch.importers.reader`, :mod:`~loadwatch.importers.cache`), opens the
exports (:mod:`~loadwatch.importers.exports`, :mod:`~loadwatch.importers.archives`)
and returns an :class:`~loadwatch.importers.report.ImportReport` of every file.
"""
