"""loadwatch's version, in a module of its own so that any layer can name it without importing
the package's public face (:mod:`loadwatch`, which sits above them all)."""

__version__ = "0.4.1"
