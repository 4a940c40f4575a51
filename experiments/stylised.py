"""Statistics for stylised facts: tails, tent shapes, S-curves and productivity decompositions.

Pure functions of arrays and firm tables; :mod:`experiments.facts` applies them to model runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats


# -- size distributions -----------------------------------------------------------------------
def top_share(x: np.ndarray, fraction: float = 0.01) -> float:
    """Share of the total held by the largest ``fraction`` of observations (at least one)."""
    x = np.sort(np.asarray(x, dtype=float))
    k = max(1, int(len(x) * fraction))
    return float(x[-k:].sum() / x.sum())


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
def logistic(t: np.ndarray, level: float, rate: float, midpoint: float) -> np.ndarray:
    """``level / (1 + exp(-rate (t - midpoint)))``."""
    return level / (1.0 + np.exp(-rate * (t - midpoint)))


def _aic(rss: float, n: int, k: int) -> float:
    """Akaike information criterion of a least-squares fit with Gaussian errors."""
    return n * np.log(max(rss, 1e-300) / n) + 2 * k


def logistic_vs_linear(t: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Least-squares rising logistic (3 parameters) and straight-line (2) fits to a path.

    Returns both residual sums of squares, their AICs (which charge the logistic for its extra
    parameter), the fitted logistic parameters and ``aic_gain = aic_linear - aic_logistic``
    (positive: the S-curve is the better description).
    """
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    slope, intercept = np.polyfit(t, y, 1)
    rss_lin = float(((y - (slope * t + intercept)) ** 2).sum())
    span = max(float(np.ptp(t)), 1.0)
    guess = (max(float(y.max()), 1e-6) * 1.05, 4.0 / span,
             float(t[np.argmin(np.abs(y - y.max() / 2))]))
    bounds = ([1e-9, 0.0, t.min() - 2 * span], [np.inf, np.inf, t.max() + 2 * span])
    params, _ = optimize.curve_fit(logistic, t, y, p0=guess, bounds=bounds, maxfev=20_000)
    rss_log = float(((y - logistic(t, *params)) ** 2).sum())
    n = len(t)
    aic_lin, aic_log = _aic(rss_lin, n, 2), _aic(rss_log, n, 3)
    return {
        "rss_logistic": rss_log,
        "rss_linear": rss_lin,
        "aic_logistic": aic_log,
        "aic_linear": aic_lin,
        "aic_gain": aic_lin - aic_log,
        "level": float(params[0]),
        "rate": float(params[1]),
        "midpoint": float(params[2]),
    }


def log_trend(years: np.ndarray, values: np.ndarray) -> float:
    """Least-squares yearly growth rate of a positive series: the slope of its log, in %."""
    t = np.asarray(years, dtype=float)
    slope = np.polyfit(t, np.log(np.asarray(values, dtype=float)), 1)[0]
    return float(100.0 * np.expm1(slope))


# -- productivity decomposition ---------------------------------------------------------------
DECOMPOSITION = ("within", "between", "entry", "exit")
"""Melitz-Polanec components: survivors' unweighted mean, their share-productivity covariance,
entrants and exits."""


def melitz_polanec(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, float]:
    """Dynamic Olley-Pakes decomposition of aggregate productivity growth (Melitz-Polanec 2015).

    Args:
        before: one row per firm at the first date, indexed by a firm identifier that
            persists between the dates, with columns ``weight`` (e.g. value added) and
            ``phi`` (log TFP).
        after: the same at the second date.

    Aggregate productivity is ``Phi = sum_i s_i phi_i`` with shares ``s_i`` of the weight.
    With S survivors, E entrants (only in ``after``) and X exits (only in ``before``)::

        Phi_1 - Phi_0 = [mean(phi_S1) - mean(phi_S0)]            within
                      + [cov_S1 - cov_S0]                         between (reallocation)
                      + s_E1 (Phi_E1 - Phi_S1)                    entry
                      + s_X0 (Phi_S0 - Phi_X0)                    exit

    where ``Phi_G`` is group G's share-weighted productivity, ``s_G`` its share of the total
    weight, and ``cov_S = Phi_S - mean(phi_S)`` the Olley-Pakes covariance term.

    Returns:
        dict with ``within``, ``between``, ``entry``, ``exit`` and ``total``.
    """
    s0 = before["weight"] / before["weight"].sum()
    s1 = after["weight"] / after["weight"].sum()
    surv = before.index.intersection(after.index)
    exits = before.index.difference(after.index)
    entrants = after.index.difference(before.index)

    def group(shares: pd.Series, phi: pd.Series, ids) -> tuple[float, float]:
        weight = float(shares[ids].sum())
        level = float((shares[ids] * phi[ids]).sum() / weight) if weight > 0 else 0.0
        return weight, level

    _, phi_s0 = group(s0, before["phi"], surv)
    _, phi_s1 = group(s1, after["phi"], surv)
    w_x0, phi_x0 = group(s0, before["phi"], exits)
    w_e1, phi_e1 = group(s1, after["phi"], entrants)
    mean0 = float(before["phi"][surv].mean())
    mean1 = float(after["phi"][surv].mean())
    out = {
        "within": mean1 - mean0,
        "between": (phi_s1 - mean1) - (phi_s0 - mean0),
        "entry": w_e1 * (phi_e1 - phi_s1),
        "exit": w_x0 * (phi_s0 - phi_x0),
    }
    out["total"] = float((s1 * after["phi"]).sum() - (s0 * before["phi"]).sum())
    return out


def decompose_by_group(before: pd.DataFrame, after: pd.DataFrame, group: str = "chain"):
    """Melitz-Polanec within each group (chain), summed with the groups' initial weight shares.

    Firms of different chains have TFP in different units, so productivity is aggregated within
    chains first; moving value added between chains is not counted as reallocation.
    """
    shares = before.groupby(group)["weight"].sum()
    shares = shares / shares.sum()
    out = dict.fromkeys((*DECOMPOSITION, "total"), 0.0)
    for g, w in shares.items():
        parts = melitz_polanec(before[before[group] == g], after[after[group] == g])
        for k, v in parts.items():
            out[k] += w * v
    return out


def selection_share(parts: dict[str, float]) -> float:
    """Share of aggregate productivity growth from reallocation and net entry."""
    return (parts["between"] + parts["entry"] + parts["exit"]) / parts["total"]
