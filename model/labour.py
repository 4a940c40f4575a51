"""Phase 4a — the labour market and the market for R&D staff, each cleared in closed form.

Workers: firms hire what their output needs at last quarter's wage (phase 3); the wage then
clears against an upward labour supply, ``w = w0 (L^d / Lbar(t))^(1/epsilon)``, with
``Lbar(t) = Lbar_0 (1 + n)^t`` the supply at the start wage (migration and demography, an
exogenous path). It is paid this quarter and enters next quarter's unit cost, so there is no
fixed point within the quarter. Firms plan their factor mix on an adaptive expectation of
the wage, ``w^e' = w^e + lambda_w (w - w^e)``: planning on last quarter's wage alone makes
employment and the wage chase each other (a cobweb) when labour supply is inelastic.

R&D staff: every firm's R&D budget not contracted out to institutes is spent on R&D staff,
``H_i = (1 - c) RD_i / w_R``; the R&D wage clears demand ``(1 - c) sum RD / w_R`` against the
supply ``Hbar (w_R / w_R0)^epsilon_R``:

``w_R = ((1 - c) sum RD w_R0^epsilon_R / Hbar)^(1 / (1 + epsilon_R))``,

so a subsidy that raises budgets by ``x`` percent raises the R&D wage by ``x / (1 + eps_R)``
and R&D staff by ``x eps_R / (1 + eps_R)`` percent, and no budget is left unspent. The talent
stock ``Hbar`` (the R&D staff willing to work at ``w_R0``) is fed by graduates and introduced
talent and loses a share ``delta_H`` a year: ``Hbar' = Hbar (1 - delta_H / 4) + (G + T) / 4``.
``delta_H`` is set so the stock is stationary under the policy in force at the start.
"""

from __future__ import annotations

import numpy as np


def clearing_wage(w0: float, demand: float, supply: float, elasticity: float) -> float:
    """``w = w0 (L^d / Lbar)^(1 / epsilon)``: the wage at which the supply meets demand."""
    if supply <= 0 or demand <= 0:
        return w0
    return w0 * (demand / supply) ** (1.0 / elasticity)


def rd_wage(budget: float, w0: float, stock: float, elasticity: float) -> float:
    """R&D wage clearing ``budget / w_R = stock (w_R / w0)^eps``:
    ``w_R = (budget w0^eps / stock)^(1 / (1 + eps))`` (budget in 10k yuan per quarter).

    With no budget or no talent the wage stays at ``w0`` (nobody is employed either way).
    """
    if budget <= 0 or stock <= 0:
        return w0
    return (budget * w0**elasticity / stock) ** (1.0 / (1.0 + elasticity))


def talent_stock(stock: float, attrition: float, inflow: float) -> float:
    """``Hbar' = Hbar (1 - delta_H / 4) + inflow / 4`` (attrition and inflow per year)."""
    return stock * (1.0 - attrition / 4.0) + inflow / 4.0


def staff_moved(before: np.ndarray, after: np.ndarray, inflow: float) -> float:
    """R&D staff who changed employer this quarter: the rise of staff at growing firms,
    ``sum max(H' - H, 0)``, less what the new talent ``inflow`` filled.
    """
    return max(0.0, float(np.maximum(after - before, 0.0).sum()) - inflow)


def clear_labour_markets(model) -> None:
    """Phase 4a: the wage, the R&D wage, R&D staff per firm, the talent stock, talent flows."""
    f, lab, pol = model.firms, model.config.labour, model.policy
    model.wage = clearing_wage(
        lab.wage, float(f.L.sum()), model.labour_supply(), lab.labour_supply_elasticity
    )
    model.planning_wage += lab.wage_expectation * (model.wage - model.planning_wage)
    inflow = (pol.graduates + pol.talent_introduction) / 4.0
    model.talent = talent_stock(model.talent, model.talent_attrition, 4.0 * inflow)
    budget = 1e4 * (1.0 - model.config.finance.contract_share) * f.rd  # staff part, 10k yuan
    model.rd_wage = rd_wage(float(budget.sum()), lab.rd_wage, model.talent,
                            lab.rd_supply_elasticity)
    before = f.H.copy()  # f.H is overwritten in place below
    np.divide(budget, model.rd_wage, out=f.H)
    led = model.ledger
    new = float(f.H.sum()) - float(before.sum()) * (1.0 - model.talent_attrition / 4.0)
    hired = min(max(new, 0.0), inflow)
    rise = np.maximum(f.H - before, 0.0)
    # where staff went: the growing firms (or, if none grew, every firm by its staff)
    base = rise if rise.sum() > 0 else f.H
    to = base / base.sum() if base.sum() > 0 else base
    firms = np.arange(len(f))
    if hired > 0:  # new talent by source, in proportion to the inflow
        graduates = hired * pol.graduates / 4.0 / inflow
        introduced = hired * pol.talent_introduction / 4.0 / inflow
        led.add_pairs("talent", "institute", "enterprise", graduates * to, dst_rows=firms,
                      total=graduates)
        led.add_pairs("talent", "government", "enterprise", introduced * to, dst_rows=firms,
                      total=introduced)
    moved = staff_moved(before, f.H, hired)
    # from the pool of staff leaving shrinking firms to the growing ones
    led.add_pairs("talent", "enterprise", "enterprise", moved * to, dst_rows=firms, total=moved)
