"""The rule catalogue: what each flag code means, its evidence grade, source and advice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """What a flag code means: a title, its evidence grade and source, and what to do.

    ``visible_days`` is how long after it last held the flag stays in the report:
    14 days for the conditions a decision about next week's long run or volume
    rests on, 7 for habits.
    """

    title: str
    evidence: str
    source: str
    advice: str
    visible_days: int = 7


_GRADUAL = ("Hold this week's volume for a week or two before adding more, and plan at least "
            "one rest day a week.")
_FRANDSEN = ("Frandsen et al. 2025, BJSM 59:1203 (5,205 runners, 588,071 runs): runs more than "
             "10% longer than the longest of the previous 30 days raised the injury rate")
RULES: dict[str, Rule] = {
    "long_run_spike": Rule(
        "Run much longer than your recent longest", "strong", _FRANDSEN,
        "Keep single runs within about 10% of your longest run of the last month; build the long "
        "run step by step, with easy days after it.", 14),
    "return_spike": Rule(
        "First run back longer than before the break", "advice",
        "loadwatch's rule after Frandsen et al. 2025: the first run after 30 days or more without "
        "running, against the longest run of the 90 days before the break",
        "After a break, start well below your old long run (about half) and build back over "
        "several weeks.", 14),
    "duration_spike": Rule(
        "Run much longer in time than your recent longest", "moderate",
        "Frandsen et al. 2025's rule applied to running time, a proxy for runs without a distance "
        "(treadmill without footpod)",
        "Keep single runs within about 10% of your longest run time of the last month.", 14),
    "weekly_distance_jump": Rule(
        "Weekly distance up fast", "moderate",
        "Nielsen et al. 2014, JOSPT 44:739: novices who raised weekly distance by > 30% had more "
        "distance-related injuries (HR 1.59, 0.96-2.66, not significant); the 10% rule showed no "
        "effect (Buist et al. 2008, AJSM 36:33)",
        _GRADUAL, 14),
    "cumulative_ramp": Rule(
        "Weekly distance up several weeks running", "moderate",
        "loadwatch's product rule built on Damsted et al. 2019, JOSPT 49:230 (> 20% a week raised "
        "injury risk at day 21 of a half-marathon build-up) and Nielsen et al. 2014",
        "Take a lighter week (about a fifth less) before building again.", 14),
    "acwr_high": Rule(
        "Recent load high against your usual", "limited",
        "Acute:chronic ratio (Hulin 2014, Williams 2017; bands from team sports, Gabbett 2016); "
        "contested (Impellizzeri 2021) and not linked to injury in runners (Frandsen 2025)",
        "Read it as a hint: an easier few days bring recent load back towards what you are used "
        "to."),
    "monotony_high": Rule(
        "Every day the same load", "limited",
        "Foster 1998, MSSE 30:1164 (monotony = mean / SD of the week's daily loads); Foster gave "
        "no threshold, '> 2.0 is high' is a secondary-source rule",
        "Vary your days: mix easy, long and rest days instead of similar runs every day."),
    "run_streak": Rule(
        "Many running days in a row", "advice",
        "Coaching practice and the overtraining consensus (Meeusen et al. 2013); no cohort study "
        "links consecutive running days to injury",
        "Break the streak with a rest day or a cross-training day (cycling, swimming) to let "
        "tendons and bursae recover."),
    "no_rest_day": Rule(
        "No rest day for a week or more", "advice",
        "ECSS/ACSM overtraining consensus, Meeusen et al. 2013, MSSE 45:186: at least one "
        "passive rest day a week (about overtraining, not running injury)",
        "Plan at least one full rest day every week."),
    "no_cross_training": Rule(
        "No cross-training", "advice",
        "Coaching practice: low-impact cross-training (cycling, swimming, rowing) keeps fitness "
        "while the knee rests from the landing; walks and hikes load it and do not count; no "
        "cohort link to injury",
        "Swap one run a week for cycling or swimming, and add hip and thigh strength work "
        "(abductors, adductors, quadriceps) twice a week."),
    "time_on_feet_jump": Rule(
        "Much more time on your feet", "advice",
        "loadwatch's product rule: walking and hiking land body weight on the knee at every step, "
        "as running does more slowly; a week's time on feet (runs, walks, hikes) well above your "
        "usual is a long week even when the running is not; no cohort study",
        "Count a long walk or hike as a long day: keep the next days easy and do not add running "
        "on top this week."),
    "duration_jump": Rule(
        "Weekly running time up fast", "advice",
        "Time advanced too fast is a usual cause of overuse knee pain (coaching practice; Nielsen "
        "2014 measured distance)",
        _GRADUAL),
    "elevation_jump": Rule(
        "Much more climbing", "advice",
        "Hills and trails added too fast load the inside of the knee more; coaching practice",
        "Add hills and trails gradually; keep most climbing at an easy effort for now."),
    "intensity_jump": Rule(
        "More hard runs than usual", "advice",
        "Intensity advanced too fast is a usual cause of overuse pain; coaching practice (hard "
        "runs by heart-rate reserve, Karvonen 1957, or by pace)",
        "Keep most runs easy and add hard sessions one at a time, with an easy day after each."),
    "single_shoe": Rule(
        "One pair of shoes for every run that names one", "limited",
        "Malisoux et al. 2015, Scand J Med Sci Sports 25:110 (264 recreational runners, 22 "
        "weeks): runners who used more than one pair of shoes in parallel had fewer injuries "
        "(HR 0.61, 0.39-0.96); one cohort, the pairs' own differences not separated",
        "If you buy shoes anyway, alternate two pairs (another model or cushioning) rather than "
        "wearing one until it is done; no study sets a distance at which to retire a shoe."),
    "pain_red_flag": Rule(
        "Pain that needs checking", "advice",
        "Clinical red flags for acute knee injury and stress fracture (Bunt et al. 2018, Am Fam "
        "Physician 98:576)",
        "Stop running on it and get it checked by a sports physical therapist or doctor.", 28),
}
