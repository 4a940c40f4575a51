"""Phase 5 — investment: toward expected demand, financed by profit and credit."""

from __future__ import annotations

import numpy as np


def capital_target(expected, tfp, digital, bonus: float, coefficient) -> np.ndarray:
    """Capital a firm wants for expected output: ``K* = z_i * Y^e / (A (1 + b d))``.

    ``z_i`` is the firm's cost-minimising capital per unit of TFP-adjusted output, fixed at
    the start (the capital-output ratio of the calibration year).
    """
    return coefficient * expected / (tfp * (1.0 + bonus * digital))


def desired_investment(target, capital, speed: float, depreciation_q: float) -> np.ndarray:
    """``I* = max(0, theta (K* - K) + delta_q K) = max(0, theta K* + (delta_q - theta) K)``."""
    return np.maximum(0.0, speed * target + (depreciation_q - speed) * capital)


def credit_limit(net_worth, debt, capital, leverage: float, cap: float, supply: float, access):
    """New credit banks grant in a quarter.

    ``C = supply * access_i * min(max(0, lambda NW - D), cap K)``: lending stops at the
    leverage limit ``lambda`` and, within it, banks lend at most the share ``cap`` of the
    firm's capital a quarter. Credit supply and access scale the whole of it.
    """
    # debt is never negative, so a firm with negative net worth has no headroom
    headroom = np.maximum(0.0, leverage * net_worth - debt)
    return np.minimum(headroom, cap * capital) * (supply * access)


def finance(desired, internal, limit) -> tuple[np.ndarray, np.ndarray]:
    """Investment actually done and the credit drawn.

    ``I = min(I*, F + C)`` with internal funds ``F``; credit drawn ``= max(0, I - F)``.
    """
    funds = np.maximum(internal, 0.0)
    inv = np.minimum(desired, funds + limit)
    borrowed = np.maximum(0.0, inv - funds)
    return inv, borrowed


def renovation(investment, capital, share: float, tfp_gain: float, green_gain: float):
    """Technical renovation (技术改造): a share of investment upgrades existing capacity.

    With ``r = share * I / K``: ``A' = A (1 + phi_A r)``, ``d g = phi_g r (1 - g)`` (the
    caller applies the ``(1 - g)``), and energy per output is divided by ``1 + 0.05 r``.

    Returns:
        (TFP factor, green gain before (1 - g), energy divisor)
    """
    r = np.divide(investment, capital, out=np.zeros_like(capital), where=capital > 0)
    r *= share
    return 1.0 + tfp_gain * r, green_gain * r, 1.0 + 0.05 * r
