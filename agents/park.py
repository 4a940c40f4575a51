"""IndustrialPark: a development zone with land, services and shared infrastructure."""

from __future__ import annotations

import numpy as np

from chainshift.agents.base import TableAgent
from chainshift.model.table import Column
from chainshift.scenarios.schema import PARK_KINDS


class IndustrialPark(TableAgent):
    """One park. State lives in ``model.parks``. Parks never leave, so slot == row."""

    table_name = "parks"

    kind_id = Column("kind", "Kind index into PARK_KINDS")
    x = Column("x", "Longitude (map position)")
    y = Column("y", "Latitude (map position)")
    land = Column("land", "Land capacity (enterprise plots)")
    focus_chain = Column("focus", "Chain the park specialises in")
    service_level = Column("service", "Service level S in [0, 1]")
    digital_infrastructure = Column("digital", "Digital infrastructure D in [0, 1]")
    green_infrastructure = Column(
        "green", "Green infrastructure G in [0, 1] (shared low-carbon energy)"
    )
    output = Column("va", "Value added of tenants last quarter (100m yuan)")
    green_share = Column("green_share", "Capital-weighted green share of tenants")
    budget = Column("budget", "Budget B: taxes kept and land sales not yet spent (100m yuan)")
    land_price = Column("land_price", "Land price index p_L (1 at the start)")
    green_standard = Column("green_standard", "Lowest green share of capital it admits")
    tfp_standard = Column("tfp_standard", "Lowest TFP, relative to the chain's median, it admits")
    reserve = Column("reserve", "Share of its land kept for entrants of its focus chain")
    entrants = Column("entrants", "Entrants admitted since the start")
    spent = Column("spent", "Own programme's spending last quarter (100m yuan)")

    @property
    def kind(self) -> str:
        """national_high_tech, national_economic or municipal."""
        return PARK_KINDS[self.kind_id]

    @property
    def tenants(self) -> list:
        """Enterprise agents located in the park."""
        firms = self.model.firms
        slots = firms.slot[: firms.n][firms.park == self.slot]
        lookup = self.model.enterprise_by_slot
        return [lookup[s] for s in slots]

    @property
    def institutes(self) -> list:
        """ResearchInstitute agents located in the park."""
        inst = self.model.institutes
        lookup = self.model.institute_by_slot
        return [lookup[s] for s in inst.slot[inst.park == self.slot].tolist()]

    @property
    def partners(self) -> dict:
        """Institutes its tenants have contracts with, and how many contracts each."""
        from chainshift.model.contracts import PARTNER

        firms = self.model.firms
        here = firms.park == self.slot
        codes = np.concatenate([getattr(firms, name)[here] for name in PARTNER])
        codes, counts = np.unique(codes[codes > 0], return_counts=True)
        lookup = self.model.institute_by_slot
        return {lookup[c - 1]: int(k) for c, k in zip(codes.tolist(), counts.tolist(),
                                                        strict=True)}

    @property
    def free_land(self) -> float:
        """Plots not taken by tenants."""
        from chainshift.model.parks import tenants

        return float(self.land - tenants(self.model)[self.slot])

    def admit(self, chain: str, tfp: float, green: float) -> bool:
        """Whether the park would admit an entrant of ``chain`` with TFP ``tfp`` and green
        share ``green`` now (:func:`model.parks.admissible`).
        """
        from chainshift.model import parks

        c = self.model.chain_names.index(chain)
        rel = tfp / float(np.exp(self.model.chain_log_tfp[c]))
        one = slice(self.slot, self.slot + 1)
        t = self.model.parks
        return bool(parks.admissible(
            t.focus[one], np.array([self.free_land]), t.land[one], t.green_standard[one],
            t.tfp_standard[one], t.reserve[one], np.array([c]), np.array([rel]),
            np.array([green]))[0, 0])

    def tenants_by_chain(self) -> dict[str, int]:
        """Number of tenants per chain."""
        firms = self.model.firms
        counts = np.bincount(
            firms.chain[firms.park == self.slot], minlength=len(self.model.chain_names)
        )
        return {c: int(k) for c, k in zip(self.model.chain_names, counts, strict=True) if k}
