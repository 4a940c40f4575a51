"""Statistics for stylised facts: tails, tent shapes, S-curves and productivity decompositions.

Pure functions of arrays and firm tables; :mod:`experiments.facts` applies them to model runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from chainshift.model.accounting import Snapshot, melitz_polanec


# -- size distributions -----------------------------------------------------------------------
def hill_tail_index(x: np.ndarray, fraction: float = 0.05) -> float:
    """Hill estimate of the Pareto tail index from the largest ``fraction`` of observations.

    ``alpha = k / sum_{i<=k} ln(x_(i) / x_(k+1))`` with ``x_(1) >= x_(2) >= ...``; below 2 the
    tail is heavy enough for an infinite variance.
    """
    x = np.sort(np.asarray(x, dtype=float))[::-1]
    k = max(2, int(len(x) * fraction))
    return float(k / np.log(x[:k] / x[k]).sum())


# -- growth-rate shapes -----------------------------------------------------------------------
def laplace_vs_normal(x: np.ndarray) -> dict[str, float]:
    """Maximum-likelihood fits of a Laplace and a normal distribution to the same sample.

    Both have two parameters, so their log-likelihoods compare directly. Returns the total
    log-likelihoods, their difference per observation (positive: the Laplace, tent-shaped
    density fits better) and the sample's excess kurtosis (0 for a normal, 3 for a Laplace).
    """
    x = np.asarray(x, dtype=float)
    ll_normal = float(stats.norm.logpdf(x, *stats.norm.fit(x)).sum())
    ll_laplace = float(stats.laplace.logpdf(x, *stats.laplace.fit(x)).sum())
    return {
        "n": float(len(x)),
        "ll_laplace": ll_laplace,
        "ll_normal": ll_normal,
        "ll_gain_per_obs": (ll_laplace - ll_normal) / len(x),
        "excess_kurtosis": float(stats.kurtosis(x)),
    }


# -- S-curves ---------------------------------------------------------------------------------
def _aic(rss: float, n: int, k: int) -> float:
    """Akaike information criterion of a least-squares fit with Gaussian errors."""
    return n * np.log(max(rss, 1e-300) / n) + 2 * k


def log_trend(years: np.ndarray, values: np.ndarray) -> float:
    """Least-squares yearly growth rate of a positive series: the slope of its log, in %."""
    t = np.asarray(years, dtype=float)
    slope = np.polyfit(t, np.log(np.asarray(values, dtype=float)), 1)[0]
    return float(100.0 * np.expm1(slope))


# -- productivity decomposition ---------------------------------------------------------------
DECOMPOSITION = ("within", "between", "entry", "exit")
"""Melitz-Polanec components: survivors' unweighted mean, their share-productivity covariance,
entrants and exits (:func:`decompose_by_group`)."""


def decompose_by_group(before: pd.DataFrame, after: pd.DataFrame, group: str = "chain"):
    """Melitz-Polanec decomposition within each group (chain), aggregated over groups
    (:func:`model.accounting.melitz_polanec`), in log points (not percentage points).

    Args:
        before: one row per firm at the first date, indexed by a firm identifier that
            persists between the dates, with columns ``weight`` (e.g. value added), ``phi``
            (log TFP) and ``group``.
        after: the same at the second date.
        group: the column naming each firm's group (its chain).

    Firms of different chains have TFP in different units, so productivity is aggregated within
    chains first; moving value added between chains is not counted as reallocation (the
    composition term is left out of ``total``).

    Returns:
        dict with ``within``, ``between`` (reallocation among survivors), ``entry``, ``exit``
        and ``total``.
    """
    ids, _ = pd.factorize(pd.Index(before.index).append(pd.Index(after.index)))
    n = int(max(before[group].max(), after[group].max())) + 1 if len(before) + len(after) else 0

    def snapshot(frame: pd.DataFrame, rows: np.ndarray) -> Snapshot:
        return Snapshot(rows, frame[group].to_numpy(), frame["phi"].to_numpy(),
                        frame["weight"].to_numpy())

    parts = melitz_polanec(snapshot(before, ids[: len(before)]),
                           snapshot(after, ids[len(before):]), n)
    out = {"within": parts["within"], "between": parts["reallocation"], "entry": parts["entry"],
           "exit": parts["exit"], "total": parts["total"] - parts["composition"]}
    return {k: v / 100.0 for k, v in out.items()}


def selection_share(parts: dict[str, float]) -> float:
    """Share of aggregate productivity growth from reallocation and net entry."""
    return (parts["between"] + parts["entry"] + parts["exit"]) / parts["total"]


def bass(t: np.ndarray, p: float, q: float) -> np.ndarray:
    """Cumulative Bass adoption ``F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})``, with
    ``p`` the coefficient of innovation (adoption on one's own) and ``q`` of imitation
    (adoption from adopters), both per year (Bass 1969).
    """
    decay = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def fit_bass(t: np.ndarray, share: np.ndarray) -> dict[str, float]:
    """Least-squares Bass fit of a cohort's cumulative adoption share, ``t`` in years from
    the cohort's start (``share(0) = 0``, left out of the fit).

    Returns:
        ``p``, ``q``; ``q_over_p`` (the curve is S-shaped, its adoption rate peaking after
        the start, only when ``q > p``); ``peak_year``, ``ln(q/p)/(p+q)`` (0 when
        ``q <= p``); and ``aic_gain``, the AIC of the pure-innovation model
        ``F = 1 - e^{-pt}`` minus that of the Bass fit (support for imitation).
    """
    from scipy.optimize import curve_fit

    t = np.asarray(t, dtype=float)
    y = np.asarray(share, dtype=float)
    keep = t > 0
    t, y = t[keep], y[keep]
    (p, q), _ = curve_fit(bass, t, y, p0=[0.03, 0.3], bounds=([1e-4, 0.0], [1.0, 5.0]))
    (p0,), _ = curve_fit(lambda x, a: 1.0 - np.exp(-a * x), t, y, p0=[0.05],
                         bounds=([1e-4], [1.0]))
    rss_bass = max(float(((bass(t, p, q) - y) ** 2).sum()), 1e-300)
    rss_ext = max(float(((1.0 - np.exp(-p0 * t) - y) ** 2).sum()), 1e-300)
    n = len(t)
    return {"p": float(p), "q": float(q), "q_over_p": float(q / p),
            "peak_year": float(np.log(q / p) / (p + q)) if q > p else 0.0,
            "aic_gain": _aic(rss_ext, n, 1) - _aic(rss_bass, n, 2)}
