"""FIT activity files: one :class:`~loadwatch.importers.base.Activity` per session.

:func:`read_fit` is the way in, in three steps kept in their own modules:

1. the walk (:mod:`~loadwatch.importers.fitwalk`): the file's structure read
   without decoding it: chained files, CRCs (:mod:`~loadwatch.importers.fitcrc`),
   damage (a file cut short, a data size never written, trailing garbage, a failing
   CRC), bounds on messages and sessions, and the raw session fields;
2. when those fields make complete sessions (start, elapsed time, distance),
   that is all: the records of a well-formed file are never decoded, which keeps
   a 10,000-record file cheap; otherwise the decoding
   (:mod:`~loadwatch.importers.fitmessages`): fitparse, run lean, on what the walk
   found readable, keeping what came before a decoding error;
3. the sessions (:mod:`~loadwatch.importers.fitsession`): a missing session (a
   crashed or truncated recording), an incomplete one or one that contradicts
   itself is completed from the records of its time span, and each session
   becomes an Activity with its sport settled from the file where it states none.

A damaged file is read as far as its data goes, and every damage is a warning on
its activities.
"""

from __future__ import annotations

from loadwatch.importers import bounds
from loadwatch.importers.base import Activity, ImportFailure, Skip
from loadwatch.importers.fitmessages import (
    ACTIVITY_FILE_TYPES,
    decode,
    fast_summaries,
    record_table,
    session_summary,
    sessionless_summary,
    utc_offset_s,
)
from loadwatch.importers.fitsession import (
    FIT_EPOCH_UNIX_S,
    complete_from_records,
    contradiction_notes,
    session_activities,
)
from loadwatch.importers.fitwalk import walk_file


def read_fit(data: bytes, path: str) -> list[Activity]:
    """Read the activities of one FIT file: one per session.

    Parameters
    ----------
    data : bytes
        The (uncompressed) file, chained FIT files included.
    path : str
        Where it came from, kept on each :class:`Activity`.

    Returns
    -------
    list of Activity
        In session order, ``index`` 0, 1, ...; a file without sessions but with
        records (a crashed recording) gives one activity built from them.

    Raises
    ------
    Skip
        The file is valid but no activity (settings, course, workout,
        monitoring...; or no session and no record at all).
    ImportFailure
        fitparse cannot decode the file, or it is cut off before any data.

    Notes
    -----
    A damaged file keeps every message decoded before the damage, and its
    activities carry a warning saying what was lost: a file cut short, a header
    whose data size was never written, trailing garbage (ignored), a failing
    CRC, a decoding error part-way (fitparse stops there). A decoding error
    before any session or record fails the file. A session that states no
    usable sport gets one from :func:`loadwatch.importers.sports.settle` (file
    name, device, speed), never a guessed run. A session whose timer time beats
    its elapsed time contradicts itself: its records decide the elapsed time,
    with a note.
    ``utc_offset_s`` is ``activity.local_timestamp - activity.timestamp``, only
    when within ±14 h and not 0: COROS watches write ``local_timestamp`` equal
    to ``timestamp`` whatever the zone, so an offset of exactly 0 says nothing.
    """
    walk = walk_file(data)
    if walk.found is not None and walk.summaries_ok:
        fast = fast_summaries(walk.found)
        if fast.file_type is not None and (fast.file_type not in ACTIVITY_FILE_TYPES
                                           or all(s.complete for s in fast.summaries)):
            if fast.file_type not in ACTIVITY_FILE_TYPES:
                raise Skip(f"a FIT {fast.file_type} file, not an activity")
            return session_activities(fast.summaries, path, fast.utc_offset_s, fast.creator,
                                      walk.warnings())
    msgs = decode(walk.readable)
    if msgs.file_type is not None and msgs.file_type not in ACTIVITY_FILE_TYPES:
        raise Skip(f"a FIT {msgs.file_type} file, not an activity")
    if not msgs.sessions and not msgs.records:
        if msgs.truncated:
            raise ImportFailure("FIT file cut off before any session or record")
        raise Skip("a FIT file with no session and no record, not an activity")
    warnings = walk.warnings()
    if msgs.stopped:
        warnings.append(f"fitparse stopped at byte {msgs.stopped_at:,} of {len(walk.readable):,} "
                        f"({msgs.stopped}); read what came before, the rest is lost")
    elif msgs.truncated and not walk.cut_bytes and not walk.unfinished:
        warnings.append("the FIT data ends in the middle of a message; read up to it")
    summaries = [session_summary(m) for m in msgs.sessions] or [sessionless_summary(msgs)]
    if not msgs.sessions:
        warnings.append("no session summary (the recording was not finished): "
                        "figures rebuilt from the records, timer time unknown")
    if not all(s.complete for s in summaries):
        table, dropped = record_table(msgs.records)
        if dropped.size:
            warnings.append(bounds.describe_outliers(dropped + FIT_EPOCH_UNIX_S))
        completed = complete_from_records(summaries, table)
        warnings += contradiction_notes(summaries, completed)
        summaries = completed
    return session_activities(summaries, path, utc_offset_s(msgs.activity), msgs.creator, warnings)
