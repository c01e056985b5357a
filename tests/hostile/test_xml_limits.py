"""Issue 11, item 6: depth and size limits before the XML parser."""

from __future__ import annotations

import gzip

import pytest

from loadwatch.importers import xmlguard
from loadwatch.importers.base import ImportFailure
from loadwatch.importers.gpx import read_gpx
from loadwatch.importers.tcx import read_tcx
from tests.corpus import CORPUS
from tests.hostile.helpers import gpx, run_cli


def nested_gpx(depth: int) -> bytes:
    """A GPX whose one track point carries ``depth`` nested extension elements."""
    return (b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="59.9" lon="10.7">'
            b"<time>2026-11-10T07:00:00Z</time><extensions>" + b"<a>" * depth + b"</a>" * depth
            + b"</extensions></trkpt></trkseg></trk></gpx>")


def nested_tcx(depth: int) -> bytes:
    return (b'<?xml version="1.0"?><TrainingCenterDatabase><Activities><Activity Sport="Running">'
            b"<Id>2026-11-10T07:00:00Z</Id>" + b"<Lap>" * depth + b"</Lap>" * depth
            + b"</Activity></Activities></TrainingCenterDatabase>")


def test_a_few_kb_of_nested_gpx_is_one_error_line_not_a_crash(tmp_path):
    """A million nested elements in 7.5 KB of gzip used to kill the process (SIGSEGV)."""
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "ok.gpx").write_bytes(gpx())
    bomb = gzip.compress(nested_gpx(1_000_000), 9)
    assert len(bomb) < 10_000
    (folder / "deep.gpx.gz").write_bytes(bomb)
    proc = run_cli("timeline", folder, "--no-cache", timeout=120)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-500:])
    errors = [ln for ln in proc.stderr.decode().splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and "deep.gpx.gz" in errors[0] and "nested" in errors[0]
    assert b"Morning run" in proc.stdout


@pytest.mark.parametrize("reader, make", [(read_gpx, nested_gpx), (read_tcx, nested_tcx)])
def test_nesting_beyond_the_limit_is_refused_before_parsing(reader, make):
    with pytest.raises(ImportFailure, match="nested more than 100 deep"):
        reader(make(xmlguard.MAX_XML_DEPTH + 1), "deep")


@pytest.mark.parametrize("reader, make", [(read_gpx, nested_gpx), (read_tcx, nested_tcx)])
def test_nesting_at_the_limit_still_reads(reader, make):
    # The file's own elements come on top of the nested ones.
    acts = reader(make(xmlguard.MAX_XML_DEPTH - 10), "fine")
    assert len(acts) == 1


def test_files_above_the_size_limit_are_refused(monkeypatch):
    monkeypatch.setattr(xmlguard, "MAX_XML_BYTES", 1_000)
    with pytest.raises(ImportFailure, match="larger than 1,000"):
        read_gpx(gpx(points=50), "big.gpx")


def test_depth_counts_tags_not_text():
    text = (b'<?xml version="1.0"?><!-- a comment --><gpx a="x"><trk><name>a &lt; b</name>'
            b"<trkseg><trkpt/><trkpt></trkpt></trkseg></trk><![CDATA[ ]]></gpx>")
    assert xmlguard.nesting_depth(text) == 4


def test_depth_is_counted_across_blocks(monkeypatch):
    monkeypatch.setattr(xmlguard, "_BLOCK", 7)
    data = b"<r>" + b"<a>" * 30 + b"</a>" * 30 + b"<b/>" * 5 + b"</r>"
    assert xmlguard.nesting_depth(data) == 31


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus absent")
def test_every_corpus_xml_file_is_within_the_limits():
    for path in CORPUS.rglob("*"):
        name = path.name.lower()
        if name.endswith((".gpx", ".tcx", ".gpx.gz", ".tcx.gz")):
            data = path.read_bytes()
            data = gzip.decompress(data) if name.endswith(".gz") else data
            data = xmlguard.safe_xml_bytes(data, "XML")
            assert xmlguard.nesting_depth(data) < 12, path
