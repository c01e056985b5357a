"""The pain diary: reading and appending ``pain.csv``, red flags, episodes, the load before them.

``pain.csv`` sits in the athlete's folder, one entry a line::

    date,severity,location,side,onset,symptoms,notes
    2024-10-11,4,inner knee,left,gradual,tightness;stiffness,after the hill session
    2024-10-14,0,,,,,easy 5 km pain-free
    2024-11-02,7,inner knee,left,sudden,twist;weight_bearing_pain;swelling,slipped on a root

=========  =====================================================================
column     meaning
=========  =====================================================================
date       local calendar day, ``YYYY-MM-DD``
severity   whole number 0-10; 0 records a pain-free day
location   free text; known names are recognised (:func:`locate`), e.g. "medial
           knee" and "inside of the knee" both become ``medial_knee``,
           "inner-knee"
side       ``left``, ``right``, ``both`` or empty
onset      ``gradual``, ``sudden`` or empty (how this pain began)
symptoms   ``;``-separated from :data:`SYMPTOMS`, plus the injury moment when
           there was one: ``twist``, ``blow`` or ``fall`` (:data:`INJURY_MOMENTS`)
notes      free text (quote it if it has commas)
=========  =====================================================================

"Pain after a blow, twist or fall" is recorded as the moment among the symptoms:
``twist;weight_bearing_pain``. Reading forgives case, spaces, a UTF-8 byte-order
mark, blank lines, CRLF line ends, a diary saved by Excel (Windows-1252 or UTF-16,
``;`` or tabs between fields, extra columns: read with a note), ``giving way`` for ``giving_way`` and a few
plain variants (``swollen``, ``gave way``, ``twisted``: :data:`ALIASES`). A row
that still breaks a rule costs one line in :attr:`Diary.errors` naming the file,
the line and the problem; the other rows count.

Red flags (:func:`red_flags`) are the signs DOMAIN.md lists for an acute injury
rather than overload; they become ``pain_red_flag`` flags that tell the runner,
first, to get it checked. Episodes (:func:`episodes`) group pain days;
:func:`link` lines each episode up with the load flags raised in the 21 days
before it began and on the day itself (pain that starts on the day of a spike
run belongs to that run), and :func:`patterns` compares that with pain-free
stretches of the same length. loadwatch never diagnoses: every sentence here
says what was recorded and what came before it.

The package reads top-down: :mod:`.diary` (the file read as a table; the file
itself, its vocabulary, reading and appending without pandas, is
:mod:`loadwatch.diaryfile`, for a quick ``pain add``), :mod:`.signs` (red flags, notes), :mod:`.episodes` (grouping,
linking, ongoing or over, pain now), :mod:`.patterns` (against pain-free
stretches) and :mod:`.output` (the JSON section, the diary as a table).
"""

from loadwatch.diaryfile import (
    ALIASES,
    ENTRY_COLUMNS,
    HEADER,
    INJURY_MOMENTS,
    MILD_SYMPTOMS,
    ONSETS,
    SIDES,
    STATUS_WORDS,
    STRESS_FRACTURE_SIGNS,
    SYMPTOMS,
    DiaryError,
    DiaryTooLarge,
    PainEntry,
    append_entry,
    locate,
    parse_entry,
)
from loadwatch.pain.diary import Diary, read_diary
from loadwatch.pain.episodes import (
    MAX_GAP_DAYS,
    MAX_MENTIONED,
    WINDOW_DAYS,
    Episode,
    Link,
    acute,
    episode_of,
    episodes,
    latest_pain,
    link,
    ongoing,
    pain_now,
    preceding,
    value_on,
)
from loadwatch.pain.output import format_diary, pain_json
from loadwatch.pain.patterns import MIN_EPISODES, PatternCount, Patterns, patterns
from loadwatch.pain.signs import (
    CLICKING_NOTE,
    RED_FLAG_SOURCE,
    SEE_SOMEONE,
    assessed,
    assessed_after,
    notes_on,
    red_flag_flags,
    red_flags,
    severity_of,
)
from loadwatch.pain.table import DiaryTable
from loadwatch.pain.words import join_words, pain_words

__all__ = [
    "ALIASES", "CLICKING_NOTE", "ENTRY_COLUMNS", "HEADER", "INJURY_MOMENTS", "MAX_GAP_DAYS",
    "MAX_MENTIONED", "MILD_SYMPTOMS", "MIN_EPISODES", "ONSETS", "RED_FLAG_SOURCE", "SEE_SOMEONE",
    "SIDES", "STATUS_WORDS", "STRESS_FRACTURE_SIGNS", "SYMPTOMS", "WINDOW_DAYS", "Diary",
    "DiaryError", "DiaryTable", "DiaryTooLarge", "Episode", "Link", "PainEntry", "PatternCount", "Patterns",
    "acute", "append_entry", "assessed", "assessed_after", "episode_of", "episodes", "format_diary",
    "join_words", "latest_pain", "link", "locate", "severity_of",
    "notes_on", "ongoing", "pain_json", "pain_now", "pain_words", "parse_entry", "patterns",
    "preceding", "read_diary", "red_flag_flags", "red_flags", "value_on",
]
