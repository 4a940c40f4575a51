"""Enterprise: a firm above designated size in one chain, inside a park or not."""

from __future__ import annotations

import numpy as np

from chainshift.agents.base import TableAgent
from chainshift.model.table import Column

SIZE_NAMES = ("large", "medium", "small", "micro")


class Enterprise(TableAgent):
    """One enterprise. State lives in ``model.firms``; see docs/ODD.md for units."""

    table_name = "firms"

    chain_id = Column("chain", "Index of the enterprise's chain in the scenario's chain list")
    park_id = Column("park", "Index of its park, -1 outside parks")
    size_id = Column("size", "Size class index (0 large .. 3 micro)")
    state_owned = Column("soe", "State-owned enterprise")
    capital = Column("K", "Capital K (100m yuan)")
    promoted_capital = Column("Kp", "Capital from promoted projects, part of K (100m yuan)")
    workers = Column("L", "Production workers L (persons)")
    rd_staff = Column("H", "R&D staff H (persons)")
    tfp = Column("A", "Total factor productivity A (without the digital capacity gain)")
    design = Column("q", "Design quality q from industrial design centres")
    knowledge = Column("know", "R&D knowledge stock (100m yuan)")
    digital = Column("d", "Digital level d in [0, 1]")
    green = Column("g", "Clean share of capital g in [0, 1]")
    market_share = Column("share", "Share of its chain's Chongqing demand")
    output = Column("y", "Real output last quarter (100m yuan at start prices)")
    demand = Column("yd", "Demand last quarter (100m yuan at start prices)")
    price = Column("p", "Price last quarter (start-year chain price index = 1)")
    unit_cost = Column("c", "Unit cost last quarter")
    user_cost = Column("u", "User cost of capital (per year)")
    utilisation = Column("z", "Capital utilisation last quarter, 0-1")
    value_added = Column("va", "Value added last quarter at current prices (100m yuan)")
    rd_spending = Column("rd", "R&D spending last quarter (100m yuan)")
    rd_propensity = Column("rho", "R&D propensity before subsidy and status effects")
    energy = Column("energy", "Energy use last quarter (10k tce)")
    co2 = Column("co2", "CO2 last quarter (10k t)")
    cash = Column("M", "Cash (100m yuan)")
    debt = Column("D", "Liabilities (100m yuan)")
    profit = Column("profit", "Profit last quarter (100m yuan)")
    age = Column("age", "Age in quarters")
    high_tech = Column("high_tech", "Certified high-tech enterprise")
    specialized_new = Column("specialized", "Specialized-and-new (专精特新) firm")
    little_giant = Column("little_giant", "Little giant (小巨人) firm")
    leading = Column("leading", "Leading enterprise (龙头企业) of its chain")

    @property
    def partners(self) -> list:
        """Research institutes (ResearchInstitute agents) the firm has a contract with."""
        from chainshift.model.contracts import PARTNER

        row = self.table.row(self.slot)
        lookup = self.model.institute_by_slot
        return [lookup[code - 1] for name in PARTNER
                if (code := int(getattr(self.table, name)[row])) > 0]

    @property
    def suppliers(self) -> list:
        """Enterprises of other chains it buys from (:mod:`model.suppliers`)."""
        from chainshift.model.suppliers import SUPPLIER

        t = self.table
        row = t.row(self.slot)
        lookup = self.model.enterprise_by_slot
        codes = [int(getattr(t, name)[row]) for name in SUPPLIER]
        return [lookup[code - 1] for code in codes if code > 0 and t.row_of[code - 1] >= 0]

    @property
    def customers(self) -> list:
        """Enterprises of other chains that buy from it."""
        from chainshift.model.suppliers import customers_of

        t = self.table
        lookup = self.model.enterprise_by_slot
        return [lookup[int(t.slot[r])] for r in customers_of(t, t.row(self.slot))]

    @property
    def contracts(self) -> list[dict]:
        """The firm's contracts: institute, last quarter, lead over its chain at signing."""
        from chainshift.model.contracts import END, LEAD, PARTNER

        row = self.table.row(self.slot)
        t = self.table
        return [{"institute": self.model.institute_by_slot[int(getattr(t, p)[row]) - 1],
                 "ends": int(getattr(t, e)[row]), "lead_at_signing": float(getattr(t, lead)[row])}
                for p, e, lead in zip(PARTNER, END, LEAD, strict=True) if getattr(t, p)[row] > 0]

    @property
    def leader(self):
        """The Enterprise it imitates: its chain's most productive firm in its park when that
        firm is ahead of it, otherwise its chain's most productive firm
        (:func:`model.innovation.leaders`).
        """
        from chainshift.model.innovation import leaders

        f, m = self.table, self.model
        row = leaders(np.log(f.A), f.chain, f.park, m.n_chains, len(m.parks))[f.row(self.slot)]
        return m.enterprise_by_slot[int(f.slot[row])]

    @property
    def net_worth(self) -> float:
        """Net worth ``K + M - D`` (100m yuan)."""
        return self.capital + self.cash - self.debt

    @property
    def leverage(self) -> float:
        """Liabilities over assets, ``D / (K + M)``."""
        assets = self.capital + self.cash
        return self.debt / assets if assets > 0 else 0.0

    @property
    def chain(self) -> str:
        """Name of the enterprise's chain."""
        return self.model.chain_names[self.chain_id]

    @property
    def size_class(self) -> str:
        """Size class: large, medium, small or micro."""
        return SIZE_NAMES[self.size_id]

    @property
    def park(self):
        """The IndustrialPark it sits in, or None."""
        p = self.park_id
        return None if p < 0 else self.model.park_agents[p]
