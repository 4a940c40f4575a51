"""Per-firm values of the current quarter that one phase computes and later phases reuse.

:meth:`model.model.TransitionModel._quarter` starts every quarter with a fresh
:class:`QuarterValues`. From prices (phase 1) to the yearly selections (phase 9) no firm enters
or leaves, so a value holds for as long as its inputs do; each field says from which phase to
which it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from chainshift.model.production import UserCosts


@dataclass
class QuarterValues:
    """Values shared between the phases of one quarter (``None`` until computed).

    Attributes:
        sales: ``p y`` (R&D budgets, phase 4, to the technology market, phase 5).
        energy_bill: ``p_E E`` (phases 4 and 4b).
        carbon_bill: ``p_C CO2`` (phases 4 and 4b).
        user_costs: the quarterly user costs (production, phase 3, to investment, phase 7,
            which sets new ones).
        digital_factor: ``1 + b d``, effective TFP over TFP (phases 3 to 7; adoption, phase 8,
            changes ``d``).
        digital_saving: ``1 - s_d d``, the energy digital tools leave (phases 3 to 7).
        park_kept: ``1 - c_p G_park`` of each firm's park, 1 outside parks (phases 3 to 7;
            adoption changes park infrastructure).
        log_tfp: ``ln A`` after the search (phase 6) for renovation (phase 7).
        gap: ``max(0, ln T_c - ln A)`` after the search, for renovation.
        hood_va: value added by neighbourhood (investment, phase 7, and adoption, phase 8).
        chain_firms: number of firms in each chain (production, phase 3, to the search,
            phase 6).
        chain_va: value added by chain (technology market, phase 5, to investment, phase 7).
    """

    sales: np.ndarray | None = None
    energy_bill: np.ndarray | None = None
    carbon_bill: np.ndarray | None = None
    user_costs: UserCosts | None = None
    digital_factor: np.ndarray | None = None
    digital_saving: np.ndarray | None = None
    park_kept: np.ndarray | None = None
    log_tfp: np.ndarray | None = None
    gap: np.ndarray | None = None
    hood_va: np.ndarray | None = None
    chain_firms: np.ndarray | None = None
    chain_va: np.ndarray | None = None
