"""Rates and rate ratios over athlete-days: pure functions, no loadwatch data types.

Three quantities, each with the interval the review shows beside it:

* the *rate* of episodes per 1,000 athlete-days, with the exact Poisson (Garwood) interval;
* one athlete's *rate ratio* of a level against ``usual``, with the exact conditional
  (binomial) interval: few events, so no normal approximation;
* a squad's pooled *Mantel-Haenszel rate ratio* stratified by athlete, with the
  Greenland-Robins (1985) interval, so that athletes who run more and report more do not
  confound it (each athlete is compared with themself, then the comparisons are pooled).

scipy's special functions give the quantiles (the beta quantile ``betaincinv``, the gamma
quantile ``gammaincinv`` for chi-square, ``ndtri`` for the normal): ``scipy.special`` is
imported inside the functions that need it, so that commands other than ``review`` do not pay
for it at start-up (and ``scipy.stats``, several times slower to import, is not needed).

Zero cells are answered, not refused: no events at the level gives a ratio of 0 with an open
lower end (0); no events at ``usual`` gives an infinite ratio (``math.inf``) with an open upper
end; no events at all, or no days at one of the two levels, gives no ratio (``None``) and the
interval ``(0, inf)``: nothing can be told. :func:`too_wide` is the rule for "too few to tell".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PER_DAYS = 1000.0
"""Rates are given per this many athlete-days. [athlete-days]"""

LEVEL = 0.95
"""Confidence level of every interval the review shows. [-]"""

EXACT = "exact conditional (binomial, Clopper-Pearson)"
"""``method`` of one athlete's rate ratio (:func:`exact_rate_ratio`)."""

MANTEL_HAENSZEL = "Mantel-Haenszel stratified by athlete, Greenland-Robins interval"
"""``method`` of a squad's pooled rate ratio (:func:`mantel_haenszel`)."""


@dataclass(frozen=True)
class Estimate:
    """A number with its two-sided interval.

    Attributes
    ----------
    value : float or None
        The estimate; None when nothing can be estimated (no days, or no events at all for a
        ratio). A ratio may be 0 or ``math.inf`` (a zero cell).
    lo, hi : float
        The interval's ends at :data:`LEVEL`; ``lo`` may be 0 and ``hi`` ``math.inf`` (an open
        end). Never None.
    method : str
        How the interval was computed.
    """

    value: float | None
    lo: float
    hi: float
    method: str = ""

    @property
    def open_ended(self) -> bool:
        """True when an end is 0 or infinite: the data bound the ratio from one side only."""
        return self.lo <= 0 or math.isinf(self.hi)

    def json_ci(self) -> list[float | None]:
        """``[lo, hi]`` for JSON, an infinite end as ``null`` (JSON has no infinity)."""
        return [_finite(self.lo), _finite(self.hi)]

    def json_value(self) -> float | None:
        """The estimate for JSON: an infinite ratio as ``null``, like an open end."""
        return None if self.value is None else _finite(self.value)


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else float(x)


def rate(events: int, days: float, level: float = LEVEL) -> Estimate:
    """Episodes per 1,000 athlete-days, with the exact Poisson interval.

    Parameters
    ----------
    events : int
        Episodes. [count]
    days : float
        Athlete-days at risk. [athlete-days]
    level : float, default 0.95
        Confidence level. [-]

    Returns
    -------
    Estimate
        ``value`` = 1000 * events / days [episodes per 1,000 athlete-days]; None (and the
        interval ``(0, inf)``) when ``days`` is 0.

    Notes
    -----
    Garwood's exact interval for a Poisson count k [1]_, divided by the days:

    .. math:: \\tfrac12\\chi^2_{2k,\\,\\alpha/2} \\le \\mu \\le \\tfrac12\\chi^2_{2k+2,\\,1-\\alpha/2}

    with the lower end 0 when k = 0.

    References
    ----------
    .. [1] F. Garwood, "Fiducial limits for the Poisson distribution," Biometrika, vol. 28,
       no. 3/4, pp. 437-442, 1936.
    """
    if days <= 0:
        return Estimate(None, 0.0, math.inf, "exact Poisson (Garwood)")
    from scipy.special import gammaincinv

    alpha = 1 - level
    # chi2.ppf(q, 2k) / 2 is the gamma quantile gammaincinv(k, q).
    lo = 0.0 if events == 0 else float(gammaincinv(events, alpha / 2))
    hi = float(gammaincinv(events + 1, 1 - alpha / 2))
    scale = PER_DAYS / days
    return Estimate(events * scale, float(lo * scale), float(hi * scale), "exact Poisson (Garwood)")


def exact_rate_ratio(a: int, t1: float, b: int, t0: float, level: float = LEVEL) -> Estimate:
    """One athlete's rate ratio with the exact conditional (binomial) interval.

    Parameters
    ----------
    a, t1 : int, float
        Episodes and athlete-days at the level compared (``raised`` or ``high``).
        [count, athlete-days]
    b, t0 : int, float
        Episodes and athlete-days at the reference level (``usual``). [count, athlete-days]
    level : float, default 0.95
        Confidence level. [-]

    Returns
    -------
    Estimate
        ``value`` = (a/t1) / (b/t0) [-]; 0 when a = 0 < b, ``inf`` when b = 0 < a, None when
        a + b = 0 or a level has no days.

    Notes
    -----
    Given the n = a + b events, the events at the compared level are binomial,
    a ~ Bin(n, p), with

    .. math:: p = \\frac{RR\\,t_1}{RR\\,t_1 + t_0}
              \\quad\\Longleftrightarrow\\quad
              RR = \\frac{p}{1-p}\\,\\frac{t_0}{t_1}.

    The Clopper-Pearson limits on p (beta quantiles: p_lo = B(alpha/2; a, n-a+1), 0 when
    a = 0; p_hi = B(1-alpha/2; a+1, n-a), 1 when a = n) are mapped to RR by the second
    formula: the exact interval for person-time data [1]_, the one Stata's ``ir`` [2]_ and
    OpenEpi's "Fisher exact" give. Its coverage is at least the nominal
    95% (the interval is conservative with few events).

    References
    ----------
    .. [1] K. J. Rothman, S. Greenland and T. L. Lash, Modern Epidemiology, 3rd ed.
       Philadelphia: Lippincott Williams & Wilkins, 2008, ch. 14, "Introduction to
       categorical statistics" (person-time data).
    .. [2] StataCorp, Stata Base Reference Manual, "[R] Epitab": ``ir``'s "(exact)" limits;
       https://www.stata.com/manuals/repitab.pdf (the tests check against its example).
    """
    if t1 <= 0 or t0 <= 0 or a + b == 0:
        return Estimate(None, 0.0, math.inf, EXACT)
    from scipy.special import betaincinv

    n = a + b
    alpha = 1 - level
    p_lo = 0.0 if a == 0 else float(betaincinv(a, n - a + 1, alpha / 2))
    p_hi = 1.0 if a == n else float(betaincinv(a + 1, n - a, 1 - alpha / 2))
    scale = t0 / t1
    lo = p_lo / (1 - p_lo) * scale
    hi = math.inf if p_hi >= 1 else p_hi / (1 - p_hi) * scale
    value = math.inf if b == 0 else (a / t1) / (b / t0)
    return Estimate(value, lo, hi, EXACT)


def mantel_haenszel(a: Sequence[float], t1: Sequence[float], b: Sequence[float],
                    t0: Sequence[float], level: float = LEVEL) -> Estimate:
    """The pooled Mantel-Haenszel rate ratio over strata (athletes), Greenland-Robins interval.

    Parameters
    ----------
    a, t1 : sequences of numbers
        Per stratum (athlete): episodes and athlete-days at the level compared.
        [count, athlete-days]
    b, t0 : sequences of numbers
        Per stratum: episodes and athlete-days at ``usual``. [count, athlete-days]
    level : float, default 0.95
        Confidence level. [-]

    Returns
    -------
    Estimate
        ``value`` = RR_MH [-]; 0 when no stratum has an event at the compared level (lower end
        0, upper end from the exact interval of the pooled counts of the informative strata),
        ``inf`` in the mirror case, None when no stratum has both levels and an event.

    Notes
    -----
    With T_i = t1_i + t0_i, Mantel and Haenszel's estimator for person-time data [1]_:

    .. math:: RR_{MH} = \\frac{\\sum_i a_i t_{0i} / T_i}{\\sum_i b_i t_{1i} / T_i}

    and Greenland and Robins' variance of its logarithm [2]_, valid when the strata are many
    and sparse (one athlete, few episodes) as well as when they are few and large:

    .. math:: \\widehat{Var}(\\ln RR_{MH}) =
              \\frac{\\sum_i (a_i + b_i)\\, t_{1i} t_{0i} / T_i^2}
                    {\\left(\\sum_i a_i t_{0i}/T_i\\right)\\left(\\sum_i b_i t_{1i}/T_i\\right)}

    The interval is exp(ln RR_MH -/+ z sqrt(Var)), z the normal quantile (1.96 at 95%).
    A stratum with no days at one of the two levels adds nothing to either sum; a stratum
    without events adds nothing either. When one of the two sums is 0 the variance is
    undefined; the open end is then kept and the other end is the exact conditional limit
    of the summed counts (:func:`exact_rate_ratio`) of the strata that have both levels:
    a fallback for a cohort too small to tell anyway.

    References
    ----------
    .. [1] K. J. Rothman, S. Greenland and T. L. Lash, Modern Epidemiology, 3rd ed.
       Philadelphia: Lippincott Williams & Wilkins, 2008, ch. 15, "Introduction to
       stratified analysis" (person-time data).
    .. [2] S. Greenland and J. M. Robins, "Estimation of a common effect parameter from
       sparse follow-up data," Biometrics, vol. 41, no. 1, pp. 55-68, 1985.
    """
    a, t1, b, t0 = (np.asarray(x, dtype=float) for x in (a, t1, b, t0))
    both = (t1 > 0) & (t0 > 0)
    a, t1, b, t0 = a[both], t1[both], b[both], t0[both]
    total = t1 + t0
    r = float(np.sum(a * t0 / total)) if len(a) else 0.0
    s = float(np.sum(b * t1 / total)) if len(a) else 0.0
    if r == 0 and s == 0:
        return Estimate(None, 0.0, math.inf, MANTEL_HAENSZEL)
    if r == 0 or s == 0:
        exact = exact_rate_ratio(int(a.sum()), float(t1.sum()), int(b.sum()), float(t0.sum()),
                                 level)
        if r == 0:
            return Estimate(0.0, 0.0, exact.hi, MANTEL_HAENSZEL)
        return Estimate(math.inf, exact.lo, math.inf, MANTEL_HAENSZEL)
    from scipy.special import ndtri

    rr = r / s
    var = float(np.sum((a + b) * t1 * t0 / total ** 2)) / (r * s)
    half = float(ndtri(1 - (1 - level) / 2)) * math.sqrt(var)
    return Estimate(rr, rr * math.exp(-half), rr * math.exp(half), MANTEL_HAENSZEL)


def too_wide(estimate: Estimate, max_ratio: float) -> bool:
    """The "too few to tell" rule: the interval is open or spans more than ``max_ratio``-fold.

    Parameters
    ----------
    estimate : Estimate
        A rate ratio.
    max_ratio : float
        ``Thresholds.review_max_ci_ratio``: the largest hi/lo that still tells something. [-]

    Returns
    -------
    bool
        True when there is no estimate, an end is open (0 or infinite), or hi/lo > max_ratio.

    Examples
    --------
    >>> too_wide(Estimate(2.0, 1.2, 3.4), 10.0)
    False
    >>> too_wide(Estimate(2.0, 0.4, 9.0), 10.0)
    True
    """
    if estimate.value is None or estimate.open_ended:
        return True
    return estimate.hi / estimate.lo > max_ratio
