"""loadwatch.pain.output: the pain section of the JSON report and the diary as a table."""

from datetime import date

from loadwatch import pain
from tests.pain import diary_of, flag


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
