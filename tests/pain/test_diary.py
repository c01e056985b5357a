"""loadwatch.pain.diary: reading a forgiving ``pain.csv``, one line per bad row, locations,
atomic appends (crashes, two writers, any valid entry reads back)."""

import multiprocessing
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loadwatch import pain
from tests.pain import GOOD_AFTER, GOOD_BEFORE, HEADER, diary_of, write


def test_reads_a_forgiving_diary(tmp_path):
    text = ("\ufeff Date , SEVERITY,Location,Side,Onset,Symptoms,Notes\r\n"
            "\r\n"
            "2024-10-11, 4 ,Medial knee, Left ,GRADUAL, Giving way ; swollen;tightness ,"
            "\"after hills, sore\"\r\n"
            "2024-10-12,0,,,,,pain-free\r\n"
            "2024-10-13,3,front of the knee,r,,crepitus?,\r\n"
            "2024-10-14,2,ITB\r\n")
    d = pain.read_diary(write(tmp_path / "pain.csv", text.encode("utf-8")))
    assert d.errors == [f"{tmp_path / 'pain.csv'}, line 5: unknown symptom 'crepitus?' (known: "
                        + ", ".join(pain.SYMPTOMS + pain.INJURY_MOMENTS + pain.STATUS_WORDS)
                        + ")"]
    e = d.entries
    assert list(e["date"].dt.date) == [date(2024, 10, 11), date(2024, 10, 12), date(2024, 10, 14)]
    first = e.iloc[0]
    assert (first["severity"], first["side"], first["onset"]) == (4, "left", "gradual")
    assert first["symptoms"] == ("giving_way", "swelling", "tightness")
    assert (first["location_key"], first["location_label"]) == ("medial_knee", "inner-knee")
    assert first["notes"] == "after hills, sore"
    assert first["line"] == 3
    assert e.iloc[1]["side"] is None and e.iloc[1]["symptoms"] == ()
    assert e.iloc[2]["location_key"] == "it_band"  # missing trailing fields are empty


BAD_ROWS = [
    ("11/10/2024,3,knee,,,,", "date '11/10/2024' is not a day as YYYY-MM-DD"),
    ("2024-02-30,3,knee,,,,", "date '2024-02-30' is not a day as YYYY-MM-DD"),
    (",3,knee,,,,", "date is missing"),
    ("2024-10-03,11,knee,,,,", "severity '11' is not a whole number from 0 to 10"),
    ("2024-10-03,-1,knee,,,,", "severity '-1' is not a whole number from 0 to 10"),
    ("2024-10-03,4.5,knee,,,,", "severity '4.5' is not a whole number from 0 to 10"),
    ("2024-10-03,,knee,,,,", "severity is missing"),
    ("2024-10-03,3,knee,up,,,", "side 'up' is not one of left, right, both (or empty)"),
    ("2024-10-03,3,knee,,slow,,", "onset 'slow' is not one of gradual, sudden (or empty)"),
    ("2024-10-03,3,knee,,,sweling,", "unknown symptom 'sweling'"),
    ("2024-10-03,3,knee,,,,a,b,c", "9 fields, expected 7"),
    ('2024-10-03,3,"knee"x,,,,', "not valid CSV"),
]


@pytest.mark.parametrize(("row", "problem"), BAD_ROWS, ids=[p for _, p in BAD_ROWS])
def test_each_bad_row_costs_one_line_and_the_rest_counts(tmp_path, row, problem):
    path = write(tmp_path / "pain.csv", HEADER + GOOD_BEFORE + row + "\n" + GOOD_AFTER)
    d = pain.read_diary(path)
    assert len(d.errors) == 1
    assert d.errors[0].startswith(f"{path}, line 3: ")
    assert problem in d.errors[0]
    assert list(d.entries["notes"]) == ["first", "last"]


def test_several_problems_in_a_row_share_its_line(tmp_path):
    d = diary_of(tmp_path, "2024-13-01,12,knee,up,,,")
    assert len(d.errors) == 1
    assert d.errors[0].count(";") == 2 and "date" in d.errors[0] and "side" in d.errors[0]


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it(tmp_path):
    path = write(tmp_path / "pain.csv",
                 HEADER + GOOD_BEFORE + '2024-10-03,3,knee,,,,"forgot to close\n' + GOOD_AFTER)
    d = pain.read_diary(path)
    assert d.errors == [f"{path}, line 3: not valid CSV (unexpected end of data); "
                        "check the double quotes"]
    assert list(d.entries["notes"]) == ["first", "last"]


def test_a_quoted_note_may_span_lines_and_line_numbers_stay_right(tmp_path):
    path = write(tmp_path / "pain.csv",
                 HEADER + '2024-10-01,2,knee,,,,"line one\nline two"\n2024-10-02,99,knee,,,,\n')
    d = pain.read_diary(path)
    assert d.entries.iloc[0]["notes"] == "line one\nline two"
    assert d.errors[0].startswith(f"{path}, line 4: ")


def test_trailing_empty_columns_from_a_spreadsheet_are_ignored(tmp_path):
    path = write(tmp_path / "pain.csv", HEADER.strip() + ",,\n2024-10-01,2,knee,,,,,,\n,,,,,,,,\n")
    d = pain.read_diary(path)
    assert (len(d.entries), d.errors) == (1, [])


def test_missing_file_is_an_empty_diary(tmp_path):
    d = pain.read_diary(tmp_path / "pain.csv")
    assert d.entries.empty and d.errors == []
    assert list(d.entries.columns) == pain.ENTRY_COLUMNS


@pytest.mark.parametrize("text", [b"", b"\n\n", b"\xef\xbb\xbf" + HEADER.encode()])
def test_empty_or_header_only_diary(tmp_path, text):
    d = pain.read_diary(write(tmp_path / "pain.csv", text))
    assert d.entries.empty and d.errors == []


def test_a_wrong_header_is_one_clear_error(tmp_path):
    path = write(tmp_path / "pain.csv", "day,pain,where\n2024-10-01,3,knee\n")
    with pytest.raises(pain.DiaryError) as exc:
        pain.read_diary(path)
    assert str(exc.value) == (f"{path}: the header must be "
                              "'date,severity,location,side,onset,symptoms,notes', "
                              "found 'day,pain,where'")


def test_a_file_that_is_not_utf8_is_read_with_a_note(tmp_path):
    # Issue 11 item 14: Excel's Windows-1252 CSV is read, not refused (it used to be).
    path = write(tmp_path / "pain.csv", HEADER.encode() + "2024-10-01,3,genou intérieur,,,,\n"
                 .encode("latin-1"))
    diary = pain.read_diary(path)
    assert list(diary.entries["location"]) == ["genou intérieur"]
    assert diary.notes == [f"{path}: saved as Windows-1252, not UTF-8; read as Windows-1252 "
                           "(Excel's 'CSV UTF-8' avoids this)"]


@pytest.mark.parametrize(("text", "key"), [
    ("inner knee", "medial_knee"), ("Medial-knee", "medial_knee"),
    ("inside of the left knee", "medial_knee"), ("knee (inner side)", "medial_knee"),
    ("pes anserine", "pes_anserine"), ("MCL", "mcl"), ("medial meniscus", "meniscus"),
    ("adductor", "adductor"), ("groin", "adductor"), ("under the kneecap", "patellofemoral"),
    ("patellofemoral", "patellofemoral"), ("outer knee", "lateral_knee"),
    ("lateral knee", "lateral_knee"), ("IT band", "it_band"), ("iliotibial band", "it_band"),
    ("hip", "hip"), ("shin", "shin"), ("calves", "calf"), ("Achilles tendon", "achilles"),
    ("plantar fascia", "foot"), ("hamstring", "hamstring"), ("knee", "knee"),
    ("left elbow", "other"), ("", ""),
])
def test_known_locations_are_recognised(text, key):
    assert pain.locate(text)[0] == key


ENTRY = {"date": date(2024, 10, 11), "severity": 5, "location": "inner knee", "side": "left",
         "onset": "sudden", "symptoms": ["twist", "weight bearing pain"], "notes": "root, trail"}

ENTRY_ROW = "2024-10-11,5,inner knee,left,sudden,twist;weight_bearing_pain,\"root, trail\""


def test_append_creates_the_file_with_its_header(tmp_path):
    path = tmp_path / "pain.csv"
    pain.append_entry(path, ENTRY)
    assert path.read_text() == HEADER + ENTRY_ROW + "\n"
    [entry] = pain.read_diary(path).entries.itertuples(index=False)
    assert entry.symptoms == ("twist", "weight_bearing_pain")


def test_append_keeps_existing_bytes_exactly(tmp_path):
    old = ("\ufeffDate,Severity,location,side,onset,symptoms,notes\r\n"
           "2024-10-01,2,knee,,,,fine\r\n"
           "not a row at all,,\r\n"
           "2024-10-02,1,knee,,,,no newline at the end").encode()
    path = write(tmp_path / "pain.csv", old)
    pain.append_entry(path, ENTRY)
    assert path.read_bytes() == old + b"\r\n" + ENTRY_ROW.encode() + b"\r\n"
    d = pain.read_diary(path)
    assert len(d.entries) == 3 and len(d.errors) == 1


def test_append_takes_a_pain_entry(tmp_path):
    path = tmp_path / "pain.csv"
    pain.append_entry(path, pain.PainEntry(date(2024, 10, 1), 0, notes="easy day"))
    assert path.read_text() == HEADER + "2024-10-01,0,,,,,easy day\n"


@pytest.mark.parametrize("notes", ["0\r0", "two\nlines", "crlf\r\ninside", 'say "ouch", twice'])
def test_a_note_with_line_breaks_or_quotes_reads_back_as_written(tmp_path, notes):
    path = tmp_path / "pain.csv"
    pain.append_entry(path, ENTRY | {"notes": notes})
    pain.append_entry(path, ENTRY | {"notes": "next"})
    d = pain.read_diary(path)
    assert (list(d.entries["notes"]), d.errors) == ([notes, "next"], [])


@pytest.mark.parametrize(("change", "problem"), [
    ({"severity": 11}, "severity '11' is not a whole number from 0 to 10"),
    ({"symptoms": "pop;sweling"}, "unknown symptom 'sweling'"),
    ({"date": "yesterday"}, "date 'yesterday' is not a day as YYYY-MM-DD"),
])
def test_append_validates_first(tmp_path, change, problem):
    path = write(tmp_path / "pain.csv", HEADER + GOOD_BEFORE)
    with pytest.raises(pain.DiaryError) as exc:
        pain.append_entry(path, ENTRY | change)
    assert str(exc.value).startswith(f"{path}: cannot add the entry: ")
    assert problem in str(exc.value)
    assert path.read_text() == HEADER + GOOD_BEFORE


def test_append_refuses_a_file_with_another_header(tmp_path):
    path = write(tmp_path / "pain.csv", "day,pain\n1,2\n")
    with pytest.raises(pain.DiaryError, match="the header must be"):
        pain.append_entry(path, ENTRY)
    assert path.read_text() == "day,pain\n1,2\n"


def test_append_into_a_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(pain.DiaryError, match=r"nowhere/pain.csv: cannot write the pain diary"):
        pain.append_entry(tmp_path / "nowhere" / "pain.csv", ENTRY)


def test_a_failure_mid_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = write(tmp_path / "pain.csv", HEADER + GOOD_BEFORE)

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("loadwatch.fileio.os.fsync", disk_full)
    with pytest.raises(pain.DiaryError, match="No space left on device"):
        pain.append_entry(path, ENTRY)
    assert path.read_text() == HEADER + GOOD_BEFORE
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pain.csv.lock", "pain.csv"]


def _crash_before_rename(path: str) -> None:
    os.replace = lambda *a: os._exit(3)  # the process dies with the new file still a temp file
    pain.append_entry(path, ENTRY)


def test_a_crash_mid_write_leaves_the_old_file_intact(tmp_path):
    path = write(tmp_path / "pain.csv", HEADER + GOOD_BEFORE)
    child = multiprocessing.get_context("fork").Process(target=_crash_before_rename,
                                                        args=(str(path),))
    child.start()
    child.join(30)
    assert child.exitcode == 3
    assert path.read_text() == HEADER + GOOD_BEFORE
    # The dead writer's lock went with it and its leftover temp file is hidden.
    pain.append_entry(path, ENTRY)
    assert path.read_text() == HEADER + GOOD_BEFORE + ENTRY_ROW + "\n"
    assert pain.read_diary(path).errors == []


def _append_many(path: str, who: int, count: int) -> None:
    for i in range(count):
        pain.append_entry(path, {"date": date(2024, 1, 1) + timedelta(days=i), "severity": who,
                                 "notes": f"writer {who} entry {i}"})


def test_two_processes_appending_at_once_lose_nothing(tmp_path):
    path = write(tmp_path / "pain.csv", HEADER + GOOD_BEFORE)
    ctx = multiprocessing.get_context("fork")
    writers = [ctx.Process(target=_append_many, args=(str(path), who, 50)) for who in (1, 2)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    assert [w.exitcode for w in writers] == [0, 0]
    d = pain.read_diary(path)
    assert d.errors == []
    expected = {f"writer {w} entry {i}" for w in (1, 2) for i in range(50)} | {"first"}
    assert set(d.entries["notes"]) == expected and len(d.entries) == 101
    assert path.read_text().startswith(HEADER + GOOD_BEFORE)


notes_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"))
                     | st.sampled_from(",\"\n\r;"), max_size=40)


@settings(max_examples=60, deadline=None)
@given(notes=notes_text, location=notes_text.map(lambda s: s.replace("\n", " ")),
       severity=st.integers(0, 10),
       symptoms=st.lists(st.sampled_from(pain.SYMPTOMS + pain.INJURY_MOMENTS), unique=True))
def test_any_valid_entry_reads_back_as_written(notes, location, severity, symptoms):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pain.csv"
        pain.append_entry(path, {"date": "2024-10-11", "severity": severity, "location": location,
                                 "symptoms": symptoms, "notes": notes})
        pain.append_entry(path, {"date": "2024-10-12", "severity": 1})
        d = pain.read_diary(path)
    assert d.errors == []
    first = d.entries.iloc[0]
    assert (first["notes"], first["location"]) == (notes.strip(), location.strip())
    assert (first["severity"], first["symptoms"]) == (severity, tuple(symptoms))
    assert len(d.entries) == 2
