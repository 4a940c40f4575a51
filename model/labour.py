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

Talent flows are recorded, not decided here: growing firms' new staff come first from staff
released by shrinking and closing firms, named by origin and destination
(``model/mobility.py``), then from new talent, then from the labour pool (:func:`hire_sources`).
"""

from __future__ import annotations

import numpy as np

from chainshift.model import mobility


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


def hire_sources(openings: float, released: float, inflow: float) -> tuple[float, float, float]:
    """Where the staff growing firms hire come from, in order: staff released by shrinking and
    closing firms, then new talent (graduates and introduced talent), then the labour pool.

    Args:
        openings: the rise of staff at growing firms, ``sum_j max(H'_j - H_j, 0)``.
        released: staff released, ``sum_i max(H_i - H'_i, 0)`` plus closed firms' staff.
        inflow: new talent this quarter.

    Returns:
        (re-employed ``min(released, openings)``, new talent ``min(inflow, rest)``, from the
        pool: what is left)
    """
    moved = min(released, openings)
    hired = min(inflow, openings - moved)
    return moved, hired, openings - moved - hired


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
    record_moves(model, before, inflow)


def record_moves(model, before: np.ndarray, inflow: float) -> None:
    """Record the quarter's R&D staff hires by source (:func:`hire_sources`): staff moves by
    origin and destination firm (``model/mobility.py``), from firms whose staff fell and from
    the firms that closed last quarter, to the growing firms, within chains first; then new
    talent and the labour pool, each spread over the openings the moves left.

    When the ledger keeps kinds only (above ``PAIR_LEDGER_LIMIT`` enterprises) the moves are
    not named: the totals are the same, the openings are filled in proportion, and the
    indicators that need names (``talent_to_more_productive``, ``talent_from_closed_firms``)
    are NaN.
    """
    f, led, pol = model.firms, model.ledger, model.policy
    closed, model.closed_staff = model.closed_staff, mobility.Departed.none()
    rise = np.maximum(f.H - before, 0.0)
    fall = np.maximum(before - f.H, 0.0)
    moved, hired, pooled = hire_sources(float(rise.sum()), float(fall.sum() + closed.staff.sum()),
                                        inflow)
    values = model.network_values
    openings = moved + hired + pooled
    values["talent_openings_from_firms"] = 100.0 * moved / openings if openings > 0 else 0.0
    firms = np.arange(len(f))
    if led.pairs:
        moves = mobility.place_staff(np.concatenate((fall, closed.staff)),
                                     np.concatenate((f.chain, closed.chain)), rise, f.chain,
                                     model.n_chains, model.streams["mobility"])
        origin_id = np.concatenate((f.slot, closed.ids))[moves.origin]
        led.add_pairs("talent", "enterprise", "enterprise", moves.amount, src_ids=origin_id,
                      dst_rows=moves.destination, total=moved)
        gap = rise - np.bincount(moves.destination, weights=moves.amount, minlength=len(f))
        gap = np.maximum(gap, 0.0)
        # ahead or behind within its own chain: TFP levels differ between chains
        median = model.chain_log_tfp
        origin_lead = (np.log(np.concatenate((f.A, closed.tfp))[moves.origin])
                       - median[np.concatenate((f.chain, closed.chain))[moves.origin]])
        dest = moves.destination
        better = np.log(f.A[dest]) - median[f.chain[dest]] > origin_lead
        values["talent_to_more_productive"] = (
            100.0 * float(moves.amount[better].sum()) / moved if moved > 0 else 0.0)
        values["talent_from_closed_firms"] = float(moves.amount[moves.origin >= len(f)].sum())
    else:
        led.add("talent", "enterprise", "enterprise", moved)
        gap = rise * (1.0 - moved / rise.sum()) if rise.sum() > 0 else rise
        values["talent_to_more_productive"] = values["talent_from_closed_firms"] = np.nan
    to = gap / gap.sum() if gap.sum() > 0 else gap
    if hired > 0:  # new talent by source, in proportion to the inflow
        graduates = hired * pol.graduates / 4.0 / inflow
        introduced = hired * pol.talent_introduction / 4.0 / inflow
        led.add_pairs("talent", "institute", "enterprise", graduates * to, dst_rows=firms,
                      total=graduates)
        led.add_pairs("talent", "government", "enterprise", introduced * to, dst_rows=firms,
                      total=introduced)
    led.add_pairs("talent", "enterprise", "enterprise", pooled * to, dst_rows=firms, total=pooled)
