"""Strava exports made in another language: their column names, dates and decimal commas.

Strava writes ``activities.csv`` in the language of the account. The columns keep
their English order (the German header lines up with the English one column for
column, duplicates included), but the names, the dates and the decimal separator
follow the language, and so do the activity types. :func:`to_english` renames the
columns loadwatch reads back to their English names, so that
:mod:`loadwatch.importers.strava` reads a translated export by position exactly like
an English one; :func:`parse_date` reads the day-first dates, :func:`decimal` the
decimal commas and :func:`english_type` the activity types (``Lauf`` is a ``Run``).

Only names seen in real exports are listed, each with where it was found. A
language whose names were not found (Italian and Portuguese, so far) is not
guessed: its header keeps the clear "no 'Activity Date' column" error.

Sources (public exports' headers, quoted by people who hit them):

- German: the complete header in martin-ueding/geo-activity-playground,
  ``src/geo_activity_playground/features/strava/strava-csv-mapping.json`` (commit
  da936e75; ``Gefühlte Anstrengung`` for ``Perceived Exertion`` and ``Gefühlte Anstrengung
  verwenden`` for ``Prefer Perceived Exertion`` in the same file at commit a2536321) and its
  issues #86, #131, #191, #348, #393 (GitHub, 2024-2025), with rows
  such as ``8228026758,"09.12.2022, 15:24:49",...,"9,44",...``; ``Aktivitätsausrüstung``
  (``Activity Gear``) from the same mapping and two public dashboards of German exports
  (code search ``Aktivitätsausrüstung``, 2026). The other languages' gear column was not
  found: their exports are read without shoes.
- French: column tables of two public parsers of French exports (found with the
  code search for ``ID de l'activité``, 2025): ``ID de l'activité, Date de
  l'activité, Nom de l'activité, Type d'activité, ..., Temps écoulé, Distance,
  Fréquence cardiaque max., ..., Nom du fichier, ..., Durée de déplacement, ...,
  Dénivelé positif``, ``Fréquence cardiaque moyenne``; dates parsed there with
  ``%d %b %Y, %H:%M:%S`` after mapping ``janv. févr. mars avr. mai juin juil. août
  sept. oct. nov. déc.``.
- Spanish: a reduced real header kept as a test fixture by a public project (code
  search ``Tiempo transcurrido,Distancia``, 2025): ``ID de actividad, Tipo de
  actividad, ..., Tiempo transcurrido, Distancia, ..., Nombre del archivo, Tiempo
  transcurrido, Tiempo en movimiento, Distancia, Desnivel positivo`` with ``"4,03"``
  decimal commas; ``Fecha de la actividad`` and ``Nombre de la actividad`` from
  another (code search ``Fecha de la actividad,Nombre de la actividad``).
- Dutch: the column table of a public parser of a Dutch export (code search
  ``Activiteits-ID``, 2026): ``Activiteits-ID, Datum van activiteit, Naam
  activiteit, Activiteitstype, Beweegtijd, Verstreken tijd, Afstand, Totale
  stijging, Gemiddelde hartslag, Max. hartslag``, ``Bestandsnaam`` from a second
  one, dates like ``9 mei 2026, 00:03:01``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

# Localised name -> English name, per language. Only the columns loadwatch reads.
HEADERS: dict[str, dict[str, str]] = {
    "German": {
        "Aktivitäts-ID": "Activity ID", "Aktivitätsdatum": "Activity Date",
        "Name der Aktivität": "Activity Name", "Aktivitätsart": "Activity Type",
        "Verstrichene Zeit": "Elapsed Time", "Distanz": "Distance",
        "Max. Herzfrequenz": "Max Heart Rate", "Dateiname": "Filename",
        "Bewegungszeit": "Moving Time", "Höhenzunahme": "Elevation Gain",
        "Durchschnittliche Herzfrequenz": "Average Heart Rate",
        "Gefühlte Anstrengung": "Perceived Exertion",
        "Aktivitätsausrüstung": "Activity Gear",
    },
    "French": {
        "ID de l'activité": "Activity ID", "Date de l'activité": "Activity Date",
        "Nom de l'activité": "Activity Name", "Type d'activité": "Activity Type",
        "Temps écoulé": "Elapsed Time", "Distance": "Distance",
        "Fréquence cardiaque max.": "Max Heart Rate", "Nom du fichier": "Filename",
        "Durée de déplacement": "Moving Time", "Dénivelé positif": "Elevation Gain",
        "Fréquence cardiaque moyenne": "Average Heart Rate",
    },
    "Spanish": {
        "ID de actividad": "Activity ID", "Fecha de la actividad": "Activity Date",
        "Nombre de la actividad": "Activity Name", "Tipo de actividad": "Activity Type",
        "Tiempo transcurrido": "Elapsed Time", "Distancia": "Distance",
        "Nombre del archivo": "Filename", "Tiempo en movimiento": "Moving Time",
        "Desnivel positivo": "Elevation Gain",
    },
    "Dutch": {
        "Activiteits-ID": "Activity ID", "Datum van activiteit": "Activity Date",
        "Naam activiteit": "Activity Name", "Activiteitstype": "Activity Type",
        "Verstreken tijd": "Elapsed Time", "Afstand": "Distance",
        "Max. hartslag": "Max Heart Rate", "Bestandsnaam": "Filename",
        "Beweegtijd": "Moving Time", "Totale stijging": "Elevation Gain",
        "Gemiddelde hartslag": "Average Heart Rate",
    },
}
"""Column names of translated exports (sources in the module docstring)."""

_FOLDED = {lang: {k.casefold(): v for k, v in table.items()} for lang, table in HEADERS.items()}

ACTIVITY_TYPES: dict[str, str] = {
    # German: a public normaliser of German exports' types, and a bike tracker's list of
    # Strava's German ride types (code search "Radfahrt", 2025-2026).
    "Lauf": "Run", "Radfahrt": "Ride", "Virtuelle Radfahrt": "VirtualRide",
    "Schwimmen": "Swim", "Wandern": "Hike", "Spaziergang": "Walk",
    "Gewichtstraining": "WeightTraining", "Training": "Workout",
    "Schotterfahrt": "GravelRide", "E-Bike-Radfahrt": "EBikeRide",
    "Mountainbike-Fahrt": "MountainBikeRide",
    # French: the type filter of a public parser of French exports (code search
    # "ID de l'activité").
    "Course à pied": "Run", "Vélo": "Ride", "Vélo virtuel": "VirtualRide",
    "Natation": "Swim", "Marche": "Walk", "Randonnée": "Hike",
    # Spanish: the reduced real export kept as a fixture (see the module docstring).
    "Carrera": "Run", "Entrenamiento con pesas": "WeightTraining",
    # Dutch: a public sanitiser of Dutch exports (code search "Hardloopsessie", 2026).
    "Hardloopsessie": "Run", "Fietsrit": "Ride", "Virtuele fietsrit": "VirtualRide",
    "Wandeling": "Walk", "Hiken": "Hike", "Krachttraining": "WeightTraining",
    "Zwemmen": "Swim",
}
"""``Activity Type`` values of translated exports, as Strava's English type names."""

_TYPES = {k.casefold(): v for k, v in ACTIVITY_TYPES.items()}

# Month names of the day-first dates. Every date format seen in real exports is the
# CLDR "medium" date-time of its language: English "May 29, 2022, 3:53:35 PM", German
# "09.12.2022, 15:24:49", French "29 mai 2022, 15:53:35", Dutch "9 mei 2026, 00:03:01".
# Spanish dates were not seen; its CLDR medium form "d MMM y, H:mm:ss" is read with the
# CLDR abbreviations below (a wrong guess fails row by row, loudly, never silently).
# Full names are accepted too, and a trailing dot is ignored.
MONTHS: dict[str, int] = {}
for _names in (
    ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"),
    ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"),
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
     "octubre", "noviembre", "diciembre"),
    ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
     "oktober", "november", "december"),
):
    MONTHS.update({name: i for i, name in enumerate(_names, 1)})
del _names

_WORD_DATE = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})")


def to_english(names: list[str]) -> tuple[list[str], str | None]:
    """The header with the names of a known translation renamed to English.

    The language is the one whose ``Activity Date`` name the header carries; names
    that language does not list are kept as they are (loadwatch does not read them).

    >>> to_english(["Aktivitäts-ID", "Aktivitätsdatum", "Wetterlage"])
    (['Activity ID', 'Activity Date', 'Wetterlage'], 'German')
    >>> to_english(["Activity ID", "Activity Date"])
    (['Activity ID', 'Activity Date'], None)
    """
    folded = {n.casefold() for n in names}
    for lang, table in _FOLDED.items():
        date_name = next(k for k, v in table.items() if v == "Activity Date")
        if date_name in folded:
            return [table.get(n.casefold(), n) for n in names], lang
    return names, None


def parse_date(text: str) -> datetime | None:
    """A day-first export date as aware UTC (Strava writes every language's dates in UTC);
    None for anything else, and for a day that does not exist.

    >>> parse_date("09.12.2022, 15:24:49").isoformat()
    '2022-12-09T15:24:49+00:00'
    >>> parse_date("29 mai 2022, 15:53:35").isoformat()
    '2022-05-29T15:53:35+00:00'
    >>> parse_date("9 mei 2026, 00:03:01").isoformat()
    '2026-05-09T00:03:01+00:00'
    >>> parse_date("May 29, 2022, 3:53:35 PM") is None
    True
    """
    m = _NUMERIC_DATE.fullmatch(text)
    if m:
        day, month, year, h, mi, s = (int(g) for g in m.groups())
    else:
        m = _WORD_DATE.fullmatch(text)
        if m is None or m.group(2).casefold() not in MONTHS:
            return None
        day, year, h, mi, s = (int(m.group(i)) for i in (1, 3, 4, 5, 6))
        month = MONTHS[m.group(2).casefold()]
    try:
        return datetime(year, month, day, h, mi, s, tzinfo=UTC)
    except ValueError:  # 31 February
        return None


def decimal(raw: str) -> str:
    """A number cell with its decimal comma made a point (``"9,44"`` -> ``"9.44"``).

    Only a lone comma is a decimal separator; anything else is left for ``float``
    to judge.

    >>> decimal("9,44"), decimal("3189.0"), decimal("1,234.5")
    ('9.44', '3189.0', '1,234.5')
    """
    return raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw


def english_type(value: str) -> str:
    """A translated ``Activity Type`` as Strava's English name; anything else unchanged.

    >>> english_type("Radfahrt"), english_type("hardloopsessie"), english_type("Run")
    ('Ride', 'Run', 'Run')
    """
    return _TYPES.get(value.casefold(), value)
