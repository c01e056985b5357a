"""Session RPE as each source writes it: one rating of the whole session, on a 0-10 scale.

Foster's session RPE [1]_ asks the athlete, about 30 minutes after the session, "how was
your workout?" on Borg's category-ratio scale (CR-10: 0 rest, 1 very, very easy, 3
moderate, 5 hard, 7 very hard, 10 maximal). The sources write it differently:

- Strava's bulk export: ``Perceived Exertion``, 1-10 from the app's slider. Close to
  the CR-10 but not the validated instrument (Strava's own words per step, asked
  whenever the athlete opens the activity, not 30 minutes after): read as it is.
  ``Prefer Perceived Exertion`` is a setting (use the rating instead of heart rate
  for Strava's Relative Effort), not a rating: never read.
- Garmin FIT: the session's ``workout_rpe`` (field 193 of message 18, ``uint8``),
  the rating x 10 (Garmin's 1-10 slider gives 10-100) [2]_. ``workout_feel`` (field
  192, 0-100, "how did you feel") is not an effort rating: never read.
- intervals.icu: ``icu_rpe`` of an activity, 1-10 (:func:`from_intervals_icu`).
- The athlete's own log (``loadwatch rpe add``, ``rpe.csv``): 0-10, as typed.

A rating outside 0-10 is a read error and is dropped; an empty or 0 source value is
"not rated" (Strava and Garmin write 0 or nothing for a session nobody rated; only
the athlete's own log may say 0, CR-10's "rest"). A missing rating is never an easy
session: it stays None.

References
----------
.. [1] C. Foster, J. A. Florhaug, J. Franklin, L. Gottschall, L. A. Hrovatin, S. Parker,
   P. Doleshal, C. Dodge, "A new approach to monitoring exercise training," J. Strength
   Cond. Res., vol. 15, no. 1, pp. 109-115, 2001.
.. [2] Garmin, "FIT SDK Profile" (``Profile.xlsx``), message ``session``: field 192
   ``workout_feel``, field 193 ``workout_rpe`` (uint8); as in the FIT profile of
   ``fit_tool`` 0.9 (``(18, 193): workout_rpe``).
"""

from __future__ import annotations

from loadwatch.importers.base import clean

RPE_MAX = 10.0
"""Top of the scale (CR-10 "maximal"; Strava's, Garmin's and intervals.icu's 10). [CR-10 points]"""

FIT_RPE_SCALE = 10.0
"""FIT ``workout_rpe`` holds the rating x this (a 7 is stored as 70). [-]"""

FIT_WORKOUT_RPE_FIELD = 193
"""Field number of ``workout_rpe`` in the FIT ``session`` message (18). [-]"""


def rating(value, *, zero_is_rest: bool = False) -> float | None:
    """A session rating on 0-10, or None when missing, not a number or off the scale.

    ``zero_is_rest``: 0 is CR-10's "rest" (the athlete's own log) rather than "not rated"
    (what sources write for a session nobody rated).

    >>> rating("7"), rating(0), rating(0, zero_is_rest=True), rating(11), rating("x")
    (7.0, None, 0.0, None, None)
    """
    f = clean(value)
    if f is None or f < 0 or f > RPE_MAX or (f == 0 and not zero_is_rest):
        return None
    return f


def from_fit(raw) -> float | None:
    """A FIT session's ``workout_rpe`` (rating x :data:`FIT_RPE_SCALE`) as a 0-10 rating.

    >>> from_fit(70), from_fit(255), from_fit(None)
    (7.0, None, None)
    """
    if not isinstance(raw, int | float):
        return None
    return rating(raw / FIT_RPE_SCALE)


def from_intervals_icu(activity: dict) -> float | None:
    """The rating of a synced intervals.icu activity (its JSON object): ``icu_rpe``, 1-10.

    The hook for the intervals.icu sync: set ``Activity.rpe`` from it. intervals.icu's
    ``feel`` (1-5, how the athlete felt) is not an effort rating and is not read.

    >>> from_intervals_icu({"icu_rpe": 6, "feel": 2}), from_intervals_icu({"feel": 2})
    (6.0, None)
    """
    return rating(activity.get("icu_rpe")) if isinstance(activity, dict) else None
