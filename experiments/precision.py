"""How precisely a calibration pins its parameters: Jacobian, standard errors, identification.

Around the fitted values ``theta`` the simulated moments are linearised by central differences
on the fit's common random numbers (every point runs the same seeds)::

    G_mk = (mbar_m(theta_k + h_k) - mbar_m(theta_k - h_k)) / (2 h_k),   h_k = STEP |theta_k|

(one-sided where a bound is closer than ``h_k``). The fitted parameters' covariance is the
sandwich of the method of simulated moments (McFadden 1989; Gourieroux and Monfort 1996)::

    V = (G' W G)^-1  G' W (Omega + Sigma / S) W G  (G' W G)^-1

- ``Omega = diag(sd_m^2)`` is the variance of the observed moments. A moment's tolerance is a
  95% band of its observed figure, so ``sd_m = tolerance_m / 2`` (:attr:`Moment.sd`).
- ``W = Omega^-1`` weights each moment by the inverse of its data variance. The calibration
  distance weights by ``1 / tolerance^2``, which is the same up to the factor 4 and has the
  same minimum.
- ``Sigma`` is the variance of one run's moment across seeds at ``theta`` (diagonal). ``S`` is
  the number of seeds the fit averages.

The standard errors are ``sqrt(diag V)``.

The Jacobian and ``Sigma`` may be measured on more seeds than the fit averages (the fit's
seeds first): a derivative of the expected moments is better measured on more runs, while the
``Sigma / S`` term keeps the fit's own ``S``.

*Identification.* Parameter ``k`` is identified when moving it from ``theta_k - h_k`` to
``theta_k + h_k`` moves at least one moment by more than seed noise: the paired t-statistic of
the per-seed differences, ``|mean_s d_s| / (sd_s d_s / sqrt n)`` over the ``n`` seeds, exceeds
the critical value of a two-sided t-test at :data:`ALPHA` with ``n - 1`` degrees of freedom,
Bonferroni-corrected for the ``M`` moments tried (:func:`critical_t`). A difference that is
the same in every seed has an infinite t-statistic and counts as moved when it is not zero;
one seed cannot tell a move from noise. Pairs of estimates correlated beyond
:data:`CORRELATED` are flagged: the moments move them together and cannot tell them apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from chainshift.experiments.moments import Moment

STEP = 0.1
"""Relative step of the central differences: ``h_k = STEP |theta_k|``."""

ALPHA = 0.05
"""Family-wise error of the identification test (over a parameter's moments)."""

CORRELATED = 0.9
"""Absolute correlation of two estimates above which they are flagged as not told apart."""

Z95 = 1.959963984540054
"""Normal quantile of a two-sided 95% interval."""


@dataclass
class Precision:
    """Standard errors and identification of fitted parameters.

    Attributes:
        keys: the parameters, in the order of ``theta``.
        theta: the fitted values.
        lo, hi: the points the central differences ran at (per parameter).
        jacobian: ``G``, moments x parameters, in moment units per parameter unit.
        t: paired t-statistic of each moment's change from ``lo`` to ``hi``, moments x
            parameters.
        covariance: ``V``, parameters x parameters (NaN when ``G'WG`` is singular).
        moments: the moments.
        seeds: seeds each point ran (``n``).
        fit_seeds: seeds the fit averages (``S``).
    """

    keys: tuple[str, ...]
    theta: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    jacobian: np.ndarray
    t: np.ndarray
    covariance: np.ndarray
    moments: tuple[Moment, ...]
    seeds: int
    fit_seeds: int

    @property
    def critical(self) -> float:
        """The |t| a moment's change must exceed (:func:`critical_t`)."""
        return critical_t(self.seeds, len(self.moments))

    @property
    def se(self) -> np.ndarray:
        """Standard errors of the fitted values."""
        return np.sqrt(np.clip(np.diag(self.covariance), 0.0, None))

    @property
    def correlation(self) -> np.ndarray:
        """Correlations of the estimates."""
        se = self.se
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.covariance / np.outer(se, se)

    @property
    def identified(self) -> np.ndarray:
        """Whether each parameter moves at least one moment beyond seed noise."""
        return (np.abs(self.t) > self.critical).any(axis=0)

    @property
    def condition(self) -> float:
        """Condition number of ``G'WG`` with each parameter scaled by its fitted value."""
        g = self.jacobian * np.where(self.theta != 0, np.abs(self.theta), 1.0)
        w = 1.0 / np.array([m.sd for m in self.moments]) ** 2
        return float(np.linalg.cond(g.T @ (w[:, None] * g)))

    def table(self) -> pd.DataFrame:
        """One row per parameter: fitted value, standard error, 95% interval, the moment it
        moves most (largest |t|), that t-statistic and that moment's elasticity, identified.
        """
        rows = []
        for k, key in enumerate(self.keys):
            j = int(np.argmax(np.abs(np.nan_to_num(self.t[:, k], nan=0.0, posinf=1e300,
                                                   neginf=-1e300))))
            se = float(self.se[k])
            theta = float(self.theta[k])
            m = self.moments[j]
            rows.append({
                "parameter": key, "fitted": theta, "se": se,
                "ci_lo": theta - Z95 * se, "ci_hi": theta + Z95 * se,
                "relative_se": se / abs(theta) if theta else math.nan,
                "moves_most": m.name, "t": float(self.t[j, k]),
                "moment_change_in_sd": float(self.jacobian[j, k] * (self.hi[k] - self.lo[k])
                                             / m.sd),
                "identified": bool(self.identified[k]),
            })
        return pd.DataFrame(rows)

    def flags(self) -> list[str]:
        """What a referee would object to, one sentence each (empty when nothing)."""
        out = [f"{key} moves no moment beyond seed noise (largest |t| "
               f"{np.nanmax(np.abs(self.t[:, k])):.2f}, needed {self.critical:.2f} over "
               f"{self.seeds} seeds): not identified"
               for k, key in enumerate(self.keys) if not self.identified[k]]
        if not np.isfinite(self.covariance).all():
            out.append("G'WG is singular: the moments do not pin all parameters at once, "
                       "so there are no standard errors")
        corr = self.correlation
        for a in range(len(self.keys)):
            for b in range(a + 1, len(self.keys)):
                if abs(corr[a, b]) > CORRELATED:
                    out.append(f"{self.keys[a]} and {self.keys[b]} are correlated "
                               f"{corr[a, b]:+.2f}: the moments move them together")
        return out


def critical_t(seeds: int, moments: int, alpha: float = ALPHA) -> float:
    """Two-sided critical t with ``seeds - 1`` degrees of freedom, Bonferroni over
    ``moments`` (infinite for one seed).
    """
    if seeds < 2:
        return math.inf
    return float(stats.t.ppf(1.0 - alpha / (2 * moments), seeds - 1))


def difference_points(theta: Sequence[float], lo: Sequence[float],
                      hi: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The low and high points of each parameter's central difference, within its bounds."""
    theta = np.asarray(theta, dtype=float)
    lo_b, hi_b = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    h = STEP * np.where(theta != 0, np.abs(theta), hi_b - lo_b)
    return np.maximum(theta - h, lo_b), np.minimum(theta + h, hi_b)


def paired_t(d: np.ndarray) -> np.ndarray:
    """t-statistic of the mean of per-seed differences ``d`` (seeds x ...), paired.

    With no spread across seeds the statistic is infinite for a non-zero mean and 0 for a
    zero one; with one seed it is infinite unless the difference is 0.
    """
    mean = d.mean(axis=0)
    sd = d.std(axis=0, ddof=1) if len(d) > 1 else np.zeros_like(mean)
    se = sd / math.sqrt(len(d))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, mean / np.where(se > 0, se, 1.0), np.sign(mean) * np.inf)
    return np.where(mean == 0, 0.0, t)


def sandwich(jacobian: np.ndarray, sd: np.ndarray, sim_var: np.ndarray,
             seeds: int) -> np.ndarray:
    """``V = (G'WG)^-1 G'W (Omega + Sigma/S) W G (G'WG)^-1`` with ``W = Omega^-1``.

    Args:
        jacobian: ``G``, moments x parameters.
        sd: standard errors of the observed moments (``Omega = diag(sd^2)``).
        sim_var: variance of one run's moments across seeds (``diag Sigma``).
        seeds: seeds averaged per evaluation (``S``).

    Returns:
        Parameters x parameters; all NaN when ``G'WG`` is singular.
    """
    g = np.asarray(jacobian, dtype=float)
    w = 1.0 / np.asarray(sd, dtype=float) ** 2
    bread = g.T @ (w[:, None] * g)
    k = g.shape[1]
    if not np.isfinite(bread).all() or np.linalg.matrix_rank(bread) < k:
        return np.full((k, k), np.nan)
    inv = np.linalg.inv(bread)
    omega = np.asarray(sd, dtype=float) ** 2 + np.asarray(sim_var, dtype=float) / seeds
    meat = g.T @ ((w**2 * omega)[:, None] * g)
    return inv @ meat @ inv


def estimate(simulate: Callable[[np.ndarray], np.ndarray], theta: Sequence[float],
             lo: Sequence[float], hi: Sequence[float], at_theta: np.ndarray,
             keys: Sequence[str], moments: tuple[Moment, ...], fit_seeds: int | None = None,
             evaluate: Callable[[Callable, list[np.ndarray]], list[np.ndarray]] | None = None,
             ) -> Precision:
    """Jacobian, standard errors and identification of a fit.

    Args:
        simulate: parameters -> simulated moments, seeds x moments, on common seeds (the
            fit's first).
        theta: the fitted values.
        lo: the parameters' lower search bounds (the differences stay inside them).
        hi: their upper search bounds.
        at_theta: ``simulate(theta)``, already run (the seed variance ``Sigma`` comes from it).
        keys: the parameters' names.
        moments: the moments.
        fit_seeds: seeds the fit averages (``S``); default: as many as ``simulate`` runs.
        evaluate: maps ``simulate`` over a list of points (e.g. on an executor); default: one
            after another in this process.

    Returns:
        The :class:`Precision`, after ``2 K`` evaluations of ``simulate``.
    """
    theta = np.asarray(theta, dtype=float)
    down, up = difference_points(theta, lo, hi)
    points = []
    for k in range(len(theta)):
        for x in (down[k], up[k]):
            p = theta.copy()
            p[k] = x
            points.append(p)
    run = evaluate or (lambda f, xs: [f(x) for x in xs])
    sims = [np.asarray(s, dtype=float) for s in run(simulate, points)]
    n_m = len(moments)
    jac = np.empty((n_m, len(theta)))
    t = np.empty((n_m, len(theta)))
    for k in range(len(theta)):
        d = sims[2 * k + 1] - sims[2 * k]  # seeds x moments, same seeds at both points
        jac[:, k] = d.mean(axis=0) / (up[k] - down[k])
        t[:, k] = paired_t(d)
    at_theta = np.atleast_2d(np.asarray(at_theta, dtype=float))
    sim_var = (at_theta.var(axis=0, ddof=1) if len(at_theta) > 1
               else np.zeros(at_theta.shape[1]))
    sd = np.array([m.sd for m in moments])
    n = len(at_theta)
    s_fit = n if fit_seeds is None else fit_seeds
    cov = sandwich(jac, sd, sim_var, s_fit)
    return Precision(tuple(keys), theta, down, up, jac, t, cov, moments, n, s_fit)
