"""The pain diary: reading, atomic appends, red flags, episodes, linking to load flags, patterns."""

import multiprocessing
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loadwatch import pain
from loadwatch.flags import Flag

HEADER = "date,severity,location,side,onset,symptoms,notes\n"
GOOD_BEFORE = "2024-10-01,2,inner knee,left,gradual,tightness,first\n"
GOOD_AFTER = "2024-10-05,3,inner knee,left,gradual,,last\n"


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def diary_of(tmp_path: Path, *rows: str) -> pain.Diary:
    return pain.read_diary(write(tmp_path / "pain.csv", HEADER + "".join(r + "\n" for r in rows)))


def flag(code: str, day: date, value: float | None = None, *, until: date | None = None,
         severity: str = "caution", evidence: str = "moderate") -> Flag:
    return Flag(code=code, kind="habit", severity=severity, start=day, last_date=until or day,
                value=value, threshold=None, evidence=evidence, source="test", message=code)


def episode(start: date, end: date | None = None, **kw) -> pain.Episode:
    fields = dict(start=start, end=end or start, peak=4, location="inner-knee",
                  location_key="medial_knee", side=None, onset="gradual", red_flags=(),
                  symptoms=(), entries=1)
    return pain.Episode(**(fields | kw))


# -- reading ------------------------------------------------------------------------------

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


# -- appending ----------------------------------------------------------------------------

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


# -- red flags ----------------------------------------------------------------------------

def entry(severity=4, onset=None, symptoms=(), location="inner knee", side=None, day=None):
    return pain.PainEntry(day or date(2024, 10, 11), severity, location, side, onset,
                          tuple(symptoms))


@pytest.mark.parametrize(("onset", "symptoms", "reasons"), [
    ("sudden", (), ["sudden onset"]),
    (None, ("pop",), ["a pop"]),
    (None, ("locking",), ["locking"]),
    (None, ("catching",), ["catching"]),
    (None, ("locking", "catching"), ["locking and catching"]),
    (None, ("instability",), ["instability"]),
    (None, ("giving_way",), ["giving way"]),
    (None, ("swelling", "bruising"), ["swelling with bruising"]),
    (None, ("twist", "weight_bearing_pain"), ["pain on weight bearing after a twist"]),
    (None, ("blow", "weight_bearing_pain"), ["pain on weight bearing after a blow"]),
    (None, ("fall", "twist", "weight_bearing_pain"),
     ["pain on weight bearing after a twist and a fall"]),
    ("sudden", ("pop", "swelling"), ["sudden onset", "a pop"]),
])
def test_each_red_flag_rule(onset, symptoms, reasons):
    assert pain.red_flags(entry(onset=onset, symptoms=symptoms)) == reasons


@pytest.mark.parametrize("symptoms", [
    ("clicking",), ("grinding",), ("clicking", "grinding", "stiffness"), ("swelling",),
    ("bruising",), ("weight_bearing_pain",), ("twist",), ("tightness", "reduced_range"),
])
def test_not_red_flags(symptoms):
    assert pain.red_flags(entry(onset="gradual", symptoms=symptoms)) == []


def test_clicking_alone_gets_a_reassuring_note_not_a_flag():
    assert pain.notes_on(entry(symptoms=("clicking",))) == [pain.CLICKING_NOTE]
    assert pain.CLICKING_NOTE.startswith("Clicking or grinding alone is common and not a sign "
                                         "of injury")
    assert pain.notes_on(entry(symptoms=("clicking", "locking"))) == []
    assert pain.notes_on(entry(symptoms=("stiffness",))) == []


def test_an_injury_moment_without_red_flags_gets_a_watch_note():
    [note] = pain.notes_on(entry(symptoms=("twist",)))
    assert note.startswith("You recorded a twist: if swelling, locking")


def test_a_pain_free_day_has_no_sudden_onset():
    assert pain.red_flags(entry(severity=0, onset="sudden")) == []


def test_red_flag_flags(tmp_path):
    d = diary_of(tmp_path,
                 "2024-10-11,6,inner knee,left,sudden,pop;swelling,",
                 "2024-10-12,3,inner knee,left,,clicking,",
                 "2024-10-13,5,knee,,,giving way,")
    flags = pain.red_flag_flags(d)
    assert [(f.code, f.severity, f.start, f.value, f.threshold, f.evidence) for f in flags] == [
        ("pain_red_flag", "high", date(2024, 10, 11), 6.0, None, "advice"),
        ("pain_red_flag", "high", date(2024, 10, 13), 5.0, None, "advice"),
    ]
    assert flags[0].message.startswith(
        "Get it checked by a sports physical therapist or doctor before running on it: the left "
        "inner-knee pain you recorded on 11 Oct (6/10) came with sudden onset and a pop, which "
        "usually means an acute injury")
    assert "\n" not in flags[0].source and flags[0].source


def test_a_red_flag_without_a_place(tmp_path):
    [f] = pain.red_flag_flags(diary_of(tmp_path, "2024-10-11,4,,,,giving way,"))
    assert "the pain you recorded on 11 Oct (4/10) came with giving way" in f.message


# -- episodes -----------------------------------------------------------------------------

def spans(eps):
    return [(e.start.isoformat(), e.end.isoformat()) for e in eps]


def test_a_gap_of_7_days_continues_an_episode_and_8_days_starts_another(tmp_path):
    seven = diary_of(tmp_path, "2024-10-01,3,knee,,,,", "2024-10-08,2,knee,,,,")
    assert spans(pain.episodes(seven)) == [("2024-10-01", "2024-10-08")]
    eight = diary_of(tmp_path, "2024-10-01,3,knee,,,,", "2024-10-09,2,knee,,,,")
    assert spans(pain.episodes(eight)) == [("2024-10-01", "2024-10-01"),
                                           ("2024-10-09", "2024-10-09")]


def test_pain_free_entries_are_not_pain(tmp_path):
    d = diary_of(tmp_path, "2024-10-01,3,knee,,,,", "2024-10-05,0,,,,,",
                 "2024-10-07,2,knee,,,,", "2024-10-20,0,,,,,")
    assert spans(pain.episodes(d)) == [("2024-10-01", "2024-10-07")]


def test_a_sudden_onset_starts_its_own_episode(tmp_path):
    d = diary_of(tmp_path,
                 "2024-10-01,3,inner knee,left,gradual,,",
                 "2024-10-03,3,inner knee,left,,,",
                 "2024-10-04,7,inner knee,left,sudden,twist;weight_bearing_pain,",
                 "2024-10-05,6,inner knee,left,sudden,swelling,",   # the same event logged again
                 "2024-10-06,5,inner knee,left,,,",
                 "2024-10-08,6,calf,right,sudden,pop,")             # another event
    eps = pain.episodes(d)
    assert spans(eps) == [("2024-10-01", "2024-10-03"), ("2024-10-04", "2024-10-06"),
                          ("2024-10-08", "2024-10-08")]
    acute = eps[1]
    assert (acute.peak, acute.onset, acute.entries) == (7, "sudden", 3)
    assert acute.red_flags == ("sudden onset", "pain on weight bearing after a twist")
    assert eps[2].location_key == "calf"


def test_episode_fields(tmp_path):
    d = diary_of(tmp_path,
                 "2024-10-01,2,knee,left,,clicking,",
                 "2024-10-02,5,inner knee,right,gradual,,",
                 "2024-10-03,4,inner knee,,,stiffness,")
    [ep] = pain.episodes(d)
    assert (ep.start, ep.end, ep.peak) == (date(2024, 10, 1), date(2024, 10, 3), 5)
    assert (ep.location, ep.location_key, ep.side, ep.onset) == (
        "inner-knee", "medial_knee", "both", "gradual")
    assert (ep.red_flags, ep.symptoms, ep.entries) == ((), ("clicking", "stiffness"), 3)


def test_episodes_ignore_the_order_of_rows_in_the_file(tmp_path):
    rows = ["2024-10-01,3,knee,,,,", "2024-10-08,2,knee,,,,", "2024-10-20,4,hip,,sudden,,",
            "2024-10-21,1,hip,,,,"]
    forward = pain.episodes(diary_of(tmp_path, *rows))
    assert pain.episodes(diary_of(tmp_path, *reversed(rows))) == forward


# -- linking ------------------------------------------------------------------------------

START = date(2024, 10, 11)


@pytest.mark.parametrize(("first", "last", "counts"), [
    (START - timedelta(days=21), None, True),     # first day of the window
    (START - timedelta(days=22), None, False),    # the day before it
    (START, None, True),                          # the start day itself counts
    (START + timedelta(days=1), None, False),     # after the pain began
    (START - timedelta(days=40), START - timedelta(days=21), True),   # a span reaching in
    (START - timedelta(days=40), START - timedelta(days=22), False),  # a span ending before
    (START - timedelta(days=3), START + timedelta(days=5), True),     # going on at the start
])
def test_the_linking_window(first, last, counts):
    f = flag("run_streak", first, 9, until=last)
    [lk] = pain.link([episode(START)], [f])
    assert (lk.flags == (f,)) is counts


def test_pain_red_flags_are_not_load_flags():
    red = flag("pain_red_flag", START - timedelta(days=2), 6, severity="high")
    [lk] = pain.link([episode(START)], [red])
    assert lk.flags == ()


def test_the_sentence():
    flags = [flag("long_run_spike", date(2024, 10, 4), 1.57, evidence="strong"),
             flag("run_streak", date(2024, 9, 29), 13, until=date(2024, 10, 11),
                  evidence="advice")]
    [lk] = pain.link([episode(START)], flags)
    assert lk.sentence == ("Your inner-knee pain began on 11 Oct, 7 days after a long run 1.57x "
                           "your longest in the previous month and during a 13-day running "
                           "streak.")
    assert lk.summary.startswith(lk.sentence + " It was 4/10 on that day only.")


def test_the_sentence_with_no_flags():
    [lk] = pain.link([episode(START, side="left")], [])
    assert lk.sentence == ("Your left inner-knee pain began on 11 Oct. No load flag was raised "
                           "in the 21 days before it began, nor on that day.")


def test_the_sentence_names_the_three_most_telling_one_per_code():
    flags = [
        flag("no_cross_training", START - timedelta(days=1), 30, severity="info",
             evidence="advice"),
        flag("long_run_spike", START - timedelta(days=10), 1.2, evidence="strong"),
        flag("long_run_spike", START - timedelta(days=1), 1.4, evidence="strong"),
        flag("weekly_distance_jump", START - timedelta(days=6), 45.0, severity="high"),
        flag("run_streak", START - timedelta(days=12), 14, until=START, evidence="advice"),
    ]
    [lk] = pain.link([episode(START)], flags)
    assert lk.sentence == (
        "Your inner-knee pain began on 11 Oct, 6 days after a week with 45% more running distance "
        "than the week before, the day after a long run 1.40x your longest in the previous month "
        "and during a 14-day running streak.")
    assert len(lk.flags) == 5


def test_a_flag_on_the_start_day_and_a_flag_without_a_value():
    flags = [flag("long_run_spike", START, 2.5, severity="high"),
             flag("monotony_high", START - timedelta(days=2), None)]
    [lk] = pain.link([episode(START)], flags)
    assert lk.sentence.endswith("on the same day as a long run 2.50x your longest in the previous "
                                "month and 2 days after a week of monotonous training.")


def test_the_summary_tells_red_flags_and_clicking():
    red = episode(START, START + timedelta(days=3), red_flags=("a pop",), peak=7)
    click = episode(START, symptoms=("clicking",))
    red_link, click_link = pain.link([red, click], [])
    assert ("It peaked at 7/10 and lasted until 14 Oct. It came with a pop, a sign of an acute "
            "injury rather than overload: get it checked by a sports physical therapist or doctor "
            "before running on it.") in red_link.summary
    assert click_link.summary.endswith(pain.CLICKING_NOTE)


# -- patterns -----------------------------------------------------------------------------

def test_pattern_counts_against_pain_free_stretches():
    # Pain on Feb 10-12, Apr 1-3 and Jun 1-2 2024; data from Jan 1 to Jun 30. Pain-free
    # 22-day windows, cut from the start of each pain-free stretch: Jan 1-22 | Feb 13-Mar 5,
    # Mar 6-27 | Apr 4-25, Apr 26-May 17 | Jun 3-24: six.
    eps = [episode(date(2024, 2, 10), date(2024, 2, 12)),
           episode(date(2024, 4, 1), date(2024, 4, 3)),
           episode(date(2024, 6, 1), date(2024, 6, 2))]
    flags = [
        flag("long_run_spike", date(2024, 2, 5), 1.3),    # before pain 1
        flag("long_run_spike", date(2024, 3, 20), 1.4),   # before pain 2, and in Mar 6-27
        flag("long_run_spike", date(2024, 5, 25), 1.6),   # before pain 3
        flag("run_streak", date(2024, 1, 5), 10, until=date(2024, 1, 15)),   # Jan 1-22 only
        flag("run_streak", date(2024, 5, 1), 30, until=date(2024, 5, 31)),   # pain 3, Apr 26-May 17
        flag("pain_red_flag", date(2024, 3, 30), 7, severity="high"),
    ]
    p = pain.patterns(eps, flags, date(2024, 1, 1), date(2024, 6, 30))
    assert (p.episodes, p.left_out, p.pain_free_windows, p.enough) == (3, 0, 6, True)
    assert p.counts == (pain.PatternCount("long_run_spike", 3, 1),
                        pain.PatternCount("run_streak", 1, 2))
    assert p.summary == (
        "Across 3 pain episodes (the 21 days before each began, and its first day) and 6 "
        "pain-free 22-day stretches: a long-run spike came before 3 of 3 episodes (100%) and 1 of "
        "6 pain-free stretches (17%); a running streak came before 1 of 3 episodes (33%) and 2 of "
        "6 pain-free stretches (33%). A pattern in one runner's diary is a hint to discuss, not "
        "proof of a cause.")
    assert p.to_json()["codes"][0] == {"code": "long_run_spike", "before_pain": 3,
                                       "before_pain_share": 1.0, "before_pain_free": 1,
                                       "before_pain_free_share": 0.167}


def test_too_few_episodes_to_call_a_pattern():
    eps = [episode(date(2024, 1, 10)),  # no 21 days of data before it: left out
           episode(date(2024, 3, 1)), episode(date(2024, 5, 1)),
           episode(date(2024, 8, 1))]  # after as_of: not counted at all
    flags = [flag("long_run_spike", date(2024, 2, 25), 1.5)]
    p = pain.patterns(eps, flags, date(2024, 1, 1), date(2024, 6, 30))
    assert (p.episodes, p.left_out, p.enough) == (2, 1, False)
    assert p.summary == ("Only 2 pain episodes with 21 days of activity data before them: too few "
                         "to call a pattern (at least 3 are needed). 1 more began before there "
                         "were 21 days of activity data to look back on.")
    assert p.counts[0].before_pain == 1  # the counts are still given


def test_no_timeline_means_no_pattern():
    p = pain.patterns([episode(date(2024, 3, 1))], [], None, date(2024, 6, 30))
    assert (p.episodes, p.pain_free_windows, p.counts) == (0, 0, ())
    assert p.summary.startswith("No pain episode with 21 days of activity data before it: too few")


# -- output -------------------------------------------------------------------------------

def test_pain_json(tmp_path):
    d = diary_of(tmp_path, "2024-10-11,6,inner knee,left,gradual,swelling,",
                 "2024-10-12,4,inner knee,,,,", "bad,row,,,,,")
    eps = pain.episodes(d)
    flags = [flag("long_run_spike", date(2024, 10, 4), 1.5678)]
    links = pain.link(eps, flags)
    doc = pain.pain_json(d, eps, links, pain.patterns(eps, flags, date(2024, 6, 1),
                                                      date(2024, 10, 31)))
    assert doc["entries"] == 2 and len(doc["errors"]) == 1
    [ep] = doc["episodes"]
    assert ep == {
        "start": "2024-10-11", "end": "2024-10-12", "peak": 6, "location": "inner-knee",
        "side": "left", "onset": "gradual", "red_flags": [],
        "preceding_flags": [{"code": "long_run_spike", "start": "2024-10-04",
                             "severity": "caution", "kind": "habit", "value": 1.568,
                             "held_on_start": False, "value_on_start": None}],
        "sentence": links[0].sentence,
        "summary": links[0].summary,
    }
    assert doc["patterns"]["enough"] is False and "too few" in doc["patterns"]["summary"]


def test_an_injury_is_not_linked_to_load(tmp_path):
    # A twist stepping off a kerb is not "linked" to 67 days without cross-training.
    d = diary_of(tmp_path, "2024-10-11,6,inner knee,left,sudden,twist;swelling,off a kerb")
    (ep,) = pain.episodes(d)
    flags = [flag("no_cross_training", date(2024, 8, 5), 67.0, until=date(2024, 10, 11)),
             flag("long_run_spike", date(2024, 10, 10), 1.5)]
    (lk,) = pain.link([ep], flags)
    assert lk.flags == ()
    assert "at a twist: that points to an injury, not to the training load" in lk.sentence
    assert "cross-training" not in lk.summary


def test_an_ongoing_episode_says_so(tmp_path):
    d = diary_of(tmp_path, "2024-10-11,3,inner knee,left,gradual,tightness,",
                 "2024-10-14,4,inner knee,left,gradual,tightness,")
    eps = pain.episodes(d)
    assert pain.ongoing(eps, d, date(2024, 10, 16)) == eps
    (lk,) = pain.link(eps, [], ongoing=pain.ongoing(eps, d, date(2024, 10, 16)))
    assert "ongoing since 11 Oct" in lk.summary and "lasted until" not in lk.summary
    # A pain-free day after it, and it is over; a week of silence is not recovery (issue 16).
    d2 = diary_of(tmp_path, "2024-10-11,3,inner knee,left,gradual,,", "2024-10-15,0,,,,,")
    assert pain.ongoing(pain.episodes(d2), d2, date(2024, 10, 16)) == []
    assert pain.ongoing(eps, d, date(2024, 10, 22)) == eps


def test_notes_never_contradict_the_entry(tmp_path):
    # Clicking alone gets the reassuring note; clicking beside swelling does not.
    alone = pain.parse_entry({"date": "2024-10-11", "severity": "2", "symptoms": "clicking"})
    swollen = pain.parse_entry({"date": "2024-10-11", "severity": "2",
                                "symptoms": "clicking;swelling"})
    assert pain.notes_on(alone) == [pain.CLICKING_NOTE]
    assert pain.notes_on(swollen) == []


def test_stress_fracture_signs_are_red_flags():
    for word, said in (("pinpoint_pain", "sharp pin-point pain"), ("hop_pain", "pain on hopping"),
                       ("night_pain", "pain at night"),
                       ("stopped_running", "pain that stopped the run")):
        entry = pain.parse_entry({"date": "2024-10-11", "severity": "5", "symptoms": word})
        assert pain.red_flags(entry) == [f"{said} (signs of a stress fracture)"]
    entry = pain.parse_entry({"date": "2024-10-11", "severity": "0", "symptoms": "assessed",
                              "notes": ""})
    assert pain.assessed(entry) and not pain.red_flags(entry)


def test_pain_json_of_an_unlinked_episode_does_not_speak_of_load(tmp_path):
    d = diary_of(tmp_path, "2024-10-11,3,hip,,,,")
    doc = pain.pain_json(d, pain.episodes(d), [], None)
    assert doc["episodes"][0]["summary"] == ("Your hip pain began on 11 Oct. It was 3/10 on that "
                                             "day only.")
    assert doc["episodes"][0]["preceding_flags"] == [] and doc["patterns"] is None


def test_format_diary(tmp_path):
    d = diary_of(tmp_path, "2024-10-12,3,kneecap,,,clicking,", "2024-10-11,6,inner knee,left,"
                 "sudden,pop;swelling,\"slipped on a wet root while running downhill in the dark\"")
    lines = pain.format_diary(d).splitlines()
    assert lines[0].split() == ["date", "pain", "where", "side", "onset", "symptoms", "notes"]
    assert lines[1].split()[:5] == ["2024-10-11", "6/10", "inner", "knee", "left"]
    assert lines[1].endswith("slipped on a wet root while running d...")
    assert lines[2].startswith("2024-10-12  3/10  kneecap")
    assert lines[4] == ("RED FLAG 2024-10-11: sudden onset and a pop: get it checked by a sports "
                        "physical therapist or doctor before running on it.")
    assert lines[5] == pain.CLICKING_NOTE


def test_format_an_empty_diary(tmp_path):
    assert pain.format_diary(pain.read_diary(tmp_path / "pain.csv")) == \
        "The pain diary has no entries.\n"


def test_a_negated_assessment_in_the_notes_does_not_close_a_red_flag(tmp_path):
    # "not assessed yet" used to read as an assessment and close the pop before it.
    for note, closes in (("not assessed yet", False), ("haven't been seen, not cleared", False),
                         ("yet to be assessed", False), ("physio: cleared to jog", True)):
        d = diary_of(tmp_path, "2024-10-11,6,inner knee,left,sudden,pop,",
                     f'2024-10-12,5,inner knee,left,,,"{note}"')
        assert (pain.red_flag_flags(d) == []) is closes, note


def test_an_assessment_alone_has_no_severity_and_is_neither_pain_nor_pain_free(tmp_path):
    d = diary_of(tmp_path, "2024-10-11,4,inner knee,left,gradual,,", "2024-10-12,,,,,assessed,",
                 "2024-10-13,,inner knee,,,,sore")
    assert len(d.entries) == 2 and "line 4: severity is missing" in d.errors[0]
    assert pain.pain_now(d, date(2024, 10, 12)) == 4
    assert pain.ongoing(pain.episodes(d), d, date(2024, 10, 12)) == pain.episodes(d)
    assert "2024-10-12  -" in pain.format_diary(d)
