"""ResearchInstitute: a university, research institute, innovation centre or design centre."""

from __future__ import annotations

import numpy as np

from chainshift.agents.base import TableAgent
from chainshift.model.table import Column
from chainshift.scenarios.schema import INSTITUTE_KINDS


class ResearchInstitute(TableAgent):
    """One institute. State lives in ``model.institutes``; focus in ``model.institute_focus``."""

    table_name = "institutes"

    kind_id = Column("kind", "Kind index into INSTITUTE_KINDS")
    researchers = Column("researchers", "Researchers (persons)")
    funding = Column("funding", "Funding received last quarter (100m yuan)")
    knowledge = Column("know", "Knowledge stock")
    transfer_capacity = Column("transfer", "Share of knowledge it can transfer per quarter")
    incubator_capacity = Column("incubator", "Start-ups it can incubate per year")
    home_chain = Column("home_chain", "Chain it serves (innovation and design centres)")
    park_id = Column("park", "Index of the park it sits in, -1 outside parks")

    @property
    def kind(self) -> str:
        """university, research_institute, innovation_centre or design_centre."""
        return INSTITUTE_KINDS[self.kind_id]

    @property
    def clients(self) -> list:
        """Enterprise agents with a contract with this institute."""
        from chainshift.model.contracts import PARTNER

        firms, lookup = self.model.firms, self.model.enterprise_by_slot
        held = np.zeros(len(firms), dtype=bool)
        for name in PARTNER:
            held |= getattr(firms, name) == self.slot + 1
        return [lookup[s] for s in firms.slot[np.flatnonzero(held)].tolist()]

    @property
    def focus(self):
        """Own research interests over chains (sums to 1)."""
        return self.model.institute_focus[self.table.row(self.slot)].copy()
