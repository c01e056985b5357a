"""Strava exports in other languages: headers as real exports write them (sources in
loadwatch/importers/strava_i18n.py), rows made at test time in their formats."""

import json

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.importers.strava import read_activities_csv
from loadwatch.importers.strava_i18n import parse_date
from tests.importers import fitgen
from tests.importers.test_strava import HEADER_99, make_csv

# The 92-column German header as quoted in martin-ueding/geo-activity-playground issue
# #191 (2024); it lines up with the English one column for column.
GERMAN_92_LINE = (
    "Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart,Aktivitätsbeschreibung,"
    "Verstrichene Zeit,Distanz,Max. Herzfrequenz,Relative Leistung,Pendeln,"
    "Hinweis zur Privatsphäre für Aktivitäten,Aktivitätsausrüstung,Dateiname,Sportlergewicht,"
    "Fahrradgewicht,Verstrichene Zeit,Bewegungszeit,Distanz,Höchstgeschw.,"
    "Durchschnittliche Geschwindigkeit,Höhenzunahme,Höhenunterschied,Min. Höhe,Max. Höhe,"
    "Max. Steigung,Durchschnittliche Steigung,Durchschnittliche positive Steigung,"
    "Durchschnittliche negative Steigung,Max. Tritt-/Schrittfrequenz,"
    "Durchschnittliche Trittfrequenz,Max. Herzfrequenz,Durchschnittliche Herzfrequenz,Max. Watt,"
    "Durchschnittliche Watt,Kalorien,Max. Temperatur,Durchschnittliche Temperatur,"
    "Relative Leistung,Gesamtarbeit,Anzahl Läufe,Bergaufzeit,Bergabzeit,Andere Zeit,"
    "Gefühlte Anstrengung,Art,Startzeit,Gewichtete durchschnittliche Leistung,Leistungszahl,"
    "Gefühlte Anstrengung verwenden,Gefühlte relative Leistung,Pendeln,"
    "Insgesamt gestemmtes Gewicht,Von Upload,Auf Steigung angepasste Distanz,"
    "Wetterbeobachtungszeit,Wetterlage,Wetter: Temperatur,Scheinbare Temperatur,Taupunkt,"
    "Luftfeuchtigkeit,Wetter: Druck,Windgeschwindigkeit,Windböe,Windrichtung,"
    "Niederschlagsintensität,Sonnenaufgangszeit,Sonnenuntergangszeit,Mondphase,Fahrrad,"
    "Ausrüstung,Niederschlagswahrscheinlichkeit,Niederschlagsart,Wolkendecke,"
    "Wetter: Sichtbarkeit,UV-Index,Wetter: Ozon,Sprunganzahl,Schwierigkeit insgesamt,"
    "Durchschnittlicher Flow,Markiert,Durchschnittsgeschwindigkeit im Aufzeichnungszeitraum,"
    "Auf Schotter zurückgelegte Distanz,Neu getestete Distanz,Neu getestete Schotterdistanz,"
    "Aktivitätsanzahl,Schritte insgesamt,Eingesparte CO₂-Emissionen,Pool-Länge,"
    "Trainingsbelastung,Intensität,Durchschnittliches auf Steigung angepasstes Tempo,Medien"
)
GERMAN_92 = GERMAN_92_LINE.split(",")

# French, reduced to the columns quoted by public parsers of French exports, in the
# English order (the first 21 columns, then the two heart-rate columns).
FRENCH = [
    "ID de l'activité", "Date de l'activité", "Nom de l'activité", "Type d'activité",
    "Description de l'activité", "Temps écoulé", "Distance", "Fréquence cardiaque max.",
    "Effort relatif", "Déplacement-transport", "Note privée sur les activités",
    "Matériel utilisé pour l'activité", "Nom du fichier", "Poids de l'athlète", "Poids du vélo",
    "Temps écoulé", "Durée de déplacement", "Distance", "Vitesse max.", "Vitesse moyenne",
    "Dénivelé positif", "Fréquence cardiaque max.", "Fréquence cardiaque moyenne",
]

# Spanish, the reduced real header a public project keeps as a fixture, with the date
# and name columns another one quotes put in their English places.
SPANISH = [
    "ID de actividad", "Fecha de la actividad", "Nombre de la actividad", "Tipo de actividad",
    "Descripción de la actividad", "Tiempo transcurrido", "Distancia",
    "Nota privada de actividad", "Nombre del archivo", "Tiempo transcurrido",
    "Tiempo en movimiento", "Distancia", "Desnivel positivo", "Esfuerzo Percibido",
]

# Dutch, the columns a public parser of a Dutch export lists, in the English order.
DUTCH = [
    "Activiteits-ID", "Datum van activiteit", "Naam activiteit", "Activiteitstype",
    "Verstreken tijd", "Afstand", "Max. hartslag", "Bestandsnaam", "Verstreken tijd",
    "Beweegtijd", "Afstand", "Totale stijging", "Max. hartslag", "Gemiddelde hartslag",
]


def one_row(header, row):
    (got,) = read_activities_csv(make_csv(header, [row]), "activities.csv").rows
    return got


def test_german_header_lines_up_with_the_english_one():
    assert len(GERMAN_92) == 92
    english = HEADER_99[:13]
    from loadwatch.importers.strava_i18n import to_english
    renamed, lang = to_english(GERMAN_92)
    assert lang == "German"
    for i, name in enumerate(english):
        if name in ("Activity ID", "Activity Date", "Activity Name", "Activity Type",
                    "Elapsed Time", "Distance", "Max Heart Rate", "Filename"):
            assert renamed[i] == name


def test_german_export_row_with_decimal_commas_and_day_first_date():
    row = one_row(GERMAN_92, {
        "Aktivitäts-ID": "8228026758", "Aktivitätsdatum": "09.12.2022, 15:24:49",
        "Name der Aktivität": "2022-12-09 16:24", "Aktivitätsart": "Radfahrt",
        "Verstrichene Zeit": "3189", "Distanz": "9,44", "Dateiname": "activities/8228026758.gpx",
        "Verstrichene Zeit#2": "3189.0", "Bewegungszeit": "2070.0", "Distanz#2": "9440.7",
        "Höhenzunahme": "61.9", "Max. Herzfrequenz#2": "171.0",
        "Durchschnittliche Herzfrequenz": "148.0"})
    a = row.activity
    assert a.start_utc.isoformat() == "2022-12-09T15:24:49+00:00"
    assert a.external_id == "8228026758" and a.sport == "Ride"
    assert a.distance_m == pytest.approx(9440.7)
    assert (a.elapsed_s, a.duration_s, a.elevation_gain_m) == (3189.0, 2070.0, 61.9)
    assert (a.avg_hr, a.max_hr) == (148.0, 171.0)
    assert row.filename == "activities/8228026758.gpx"


def test_german_distance_with_a_decimal_comma_when_the_metres_are_missing():
    row = one_row(GERMAN_92, {"Aktivitäts-ID": "1", "Aktivitätsdatum": "09.12.2022, 15:24:49",
                              "Aktivitätsart": "Lauf", "Verstrichene Zeit": "1800",
                              "Distanz": "5,21", "Dateiname": ""})
    assert row.activity.distance_m == pytest.approx(5210.0)


def test_french_export_row():
    row = one_row(FRENCH, {
        "ID de l'activité": "42", "Date de l'activité": "29 mai 2022, 15:53:35",
        "Nom de l'activité": "Course à pied l'après-midi", "Type d'activité": "Course à pied",
        "Temps écoulé": "1428", "Distance": "3,32", "Nom du fichier": "activities/42.fit.gz",
        "Temps écoulé#2": "1428.5", "Durée de déplacement": "1411.0",
        "Distance#2": "3322.95", "Dénivelé positif": "61.9",
        "Fréquence cardiaque max.#2": "171.0", "Fréquence cardiaque moyenne": "148.0"})
    a = row.activity
    assert a.start_utc.isoformat() == "2022-05-29T15:53:35+00:00"
    assert (a.distance_m, a.duration_s, a.elapsed_s) == (3322.95, 1411.0, 1428.5)
    assert (a.avg_hr, a.max_hr) == (148.0, 171.0)
    assert a.name == "Course à pied l'après-midi"


def test_spanish_export_row_from_its_own_columns():
    row = one_row(SPANISH, {
        "ID de actividad": "101", "Fecha de la actividad": "29 may 2022, 15:53:35",
        "Tipo de actividad": "Carrera", "Tiempo transcurrido": "1341", "Distancia": "4,03",
        "Nombre del archivo": "activities/101.gpx", "Tiempo transcurrido#2": "1341.0",
        "Tiempo en movimiento": "1322.0", "Distancia#2": "4030.5", "Desnivel positivo": "5.9"})
    a = row.activity
    assert a.start_utc.isoformat() == "2022-05-29T15:53:35+00:00"
    assert (a.distance_m, a.duration_s, a.elevation_gain_m) == (4030.5, 1322.0, 5.9)
    assert a.avg_hr is None  # no heart-rate column names known for Spanish


def test_dutch_export_row():
    row = one_row(DUTCH, {
        "Activiteits-ID": "7", "Datum van activiteit": "9 mei 2026, 00:03:01",
        "Naam activiteit": "Nachtloop", "Activiteitstype": "Hardloopsessie",
        "Verstreken tijd": "1900", "Afstand": "5,10", "Bestandsnaam": "",
        "Verstreken tijd#2": "1900.0", "Beweegtijd": "1850.0", "Afstand#2": "5102.0",
        "Totale stijging": "12.0", "Max. hartslag#2": "175", "Gemiddelde hartslag": "150"})
    a = row.activity
    assert a.start_utc.isoformat() == "2026-05-09T00:03:01+00:00"
    assert (a.distance_m, a.duration_s, a.avg_hr, a.max_hr) == (5102.0, 1850.0, 150.0, 175.0)


@pytest.mark.parametrize("text", ["09.12.2022, 15:24:49", "29 mai 2022, 15:53:35",
                                  "1 févr. 2023, 07:00:00", "9 mei 2026, 00:03:01",
                                  "3 dic 2021, 18:20:00", "12 okt. 2024, 10:00:00"])
def test_day_first_dates(text):
    assert parse_date(text) is not None


@pytest.mark.parametrize("text", ["31.02.2022, 10:00:00", "29 foo 2022, 15:53:35",
                                  "2022-05-29 15:53:35", "May 29, 2022, 3:53:35 PM"])
def test_not_day_first_dates(text):
    assert parse_date(text) is None


def test_bad_localised_date_is_a_row_error_not_a_guess():
    data = make_csv(DUTCH, [{"Activiteits-ID": "1", "Datum van activiteit": "9 foo 2026, 00:03:01",
                             "Activiteitstype": "Hardloopsessie", "Verstreken tijd": "1"},
                            {"Activiteits-ID": "2", "Datum van activiteit": "9 mei 2026, 00:03:01",
                             "Activiteitstype": "Hardloopsessie", "Verstreken tijd": "1"}])
    result = read_activities_csv(data, "activities.csv")
    assert [r.activity.external_id for r in result.rows] == ["2"]
    assert result.errors[0].startswith("line 2: Activity Date '9 foo 2026, 00:03:01'")


def test_german_export_folder_through_the_cli(tmp_path):
    from datetime import UTC, datetime

    root = tmp_path / "Strava Export"
    (root / "activities").mkdir(parents=True)
    start = datetime(2022, 12, 9, 15, 24, 49, tzinfo=UTC)
    (root / "activities" / "8228026758.fit").write_bytes(
        fitgen.activity(start, [fitgen.Leg(seconds=1800, speed_mps=3.0)]))
    (root / "activities.csv").write_bytes(make_csv(GERMAN_92, [
        {"Aktivitäts-ID": "8228026758", "Aktivitätsdatum": "09.12.2022, 15:24:49",
         "Name der Aktivität": "Feierabendlauf", "Aktivitätsart": "Lauf",
         "Verstrichene Zeit": "1800", "Distanz": "5,40",
         "Dateiname": "activities/8228026758.fit"},
        {"Aktivitäts-ID": "8228026759", "Aktivitätsdatum": "10.12.2022, 09:00:00",
         "Name der Aktivität": "Krafttraining", "Aktivitätsart": "Krafttraining",
         "Verstrichene Zeit": "2700", "Distanz": "0,00", "Dateiname": ""}]))
    result = CliRunner().invoke(cli, ["timeline", str(root), "--format", "json", "--no-cache",
                                      "--tz", "Europe/Berlin"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["activities"]
    assert [r["name"] for r in rows] == ["Feierabendlauf", "Krafttraining"]
    assert rows[0]["source"] == "fit" and rows[0]["sport"] == "run"
    assert rows[1]["source"] == "strava_csv" and rows[1]["distance_m"] is None


@pytest.mark.parametrize(("header", "cells", "sport"), [
    (GERMAN_92, {"Aktivitäts-ID": "1", "Aktivitätsdatum": "09.12.2022, 15:24:49",
                 "Aktivitätsart": "Lauf", "Verstrichene Zeit": "1800", "Distanz": "5,00"}, "run"),
    (FRENCH, {"ID de l'activité": "1", "Date de l'activité": "29 mai 2022, 15:53:35",
              "Type d'activité": "Course à pied", "Temps écoulé": "1800"}, "run"),
    (SPANISH, {"ID de actividad": "1", "Fecha de la actividad": "29 may 2022, 15:53:35",
               "Tipo de actividad": "Carrera", "Tiempo transcurrido": "1800"}, "run"),
    (DUTCH, {"Activiteits-ID": "1", "Datum van activiteit": "9 mei 2026, 00:03:01",
             "Activiteitstype": "Fietsrit", "Verstreken tijd": "1800"}, "ride"),
])
def test_translated_activity_types_keep_their_sport(header, cells, sport):
    from loadwatch.importers.sports import normalise

    row = one_row(header, cells)
    assert normalise(row.activity.sport) == sport


def test_row_without_file_in_a_german_export_counts_as_the_run_it_is(tmp_path):
    root = tmp_path / "export"
    root.mkdir()
    (root / "activities.csv").write_bytes(make_csv(GERMAN_92, [
        {"Aktivitäts-ID": "5", "Aktivitätsdatum": "09.12.2022, 15:24:49",
         "Name der Aktivität": "Laufband", "Aktivitätsart": "Lauf",
         "Verstrichene Zeit": "1800", "Distanz": "5,00", "Dateiname": ""}]))
    result = CliRunner().invoke(cli, ["timeline", str(root), "--format", "json", "--no-cache"])
    [row] = json.loads(result.stdout)["activities"]
    assert row["is_run"] is True and row["distance_m"] == pytest.approx(5000.0)
