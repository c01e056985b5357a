"""The SQLite cache: hits, invalidation, rebuilds."""

import sqlite3

import pytest

from loadwatch.importers import cache as store


def test_cache_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_CACHE", str(tmp_path / "env"))
    assert store.cache_dir(tmp_path / "opt") == tmp_path / "opt"
    assert store.cache_dir(None) == tmp_path / "env"
    monkeypatch.delenv("LOADWATCH_CACHE")
    assert "loadwatch" in str(store.cache_dir(None))


def test_hit_needs_same_size_and_mtime(tmp_path):
    with store.Store(tmp_path) as s:
        s.put_many([store.Entry("k", 10, 111, "abc", "ok", [{"x": 1}])])
        assert s.lookup("k", 10, 111).payload == [{"x": 1}]
        assert s.lookup("k", 10, 112) is None
        assert s.lookup("k", 11, 111) is None
        # Same bytes, new mtime: found by hash, and the mtime is refreshed.
        assert s.lookup_hash("k", 10, 112, "abc").status == "ok"
        assert s.lookup("k", 10, 112) is not None


def test_corrupt_database_is_rebuilt_with_a_warning(tmp_path):
    (tmp_path / store.DB_NAME).write_bytes(b"this is not sqlite" * 100)
    warnings = []
    with store.Store(tmp_path, warn=warnings.append) as s:
        assert s.lookup("k", 1, 1) is None
        s.put_many([store.Entry("k", 1, 1, "h", "skip", "settings file")])
    assert warnings and "rebuilding" in warnings[0]


def test_other_schema_version_is_rebuilt(tmp_path):
    with store.Store(tmp_path) as s:
        s.put_many([store.Entry("k", 1, 1, "h", "ok", [])])
    conn = sqlite3.connect(tmp_path / store.DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    warnings = []
    with store.Store(tmp_path, warn=warnings.append) as s:
        assert s.lookup("k", 1, 1) is None
    assert "another loadwatch version" in warnings[0]


def test_interrupted_write_leaves_the_cache_usable(tmp_path):
    with store.Store(tmp_path) as s:
        s.put_many([store.Entry("a", 1, 1, "h", "ok", [])])
        with pytest.raises(KeyboardInterrupt), s.transaction() as conn:
            conn.execute("INSERT INTO files VALUES ('b', 1, 1, 'h', 1, 'ok', '[]')")
            raise KeyboardInterrupt
        assert s.lookup("b", 1, 1) is None
        assert s.lookup("a", 1, 1) is not None
