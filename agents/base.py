"""Agents whose numeric state is a row of their type's column table."""

from __future__ import annotations

import mesa


class TableAgent(mesa.Agent):
    """A Mesa agent that is a view onto one row of a :class:`model.table.Table`.

    Subclasses set ``table_name`` (the model attribute holding the table) and declare
    attributes with :class:`model.table.Column`. Reading ``agent.tfp`` reads the column;
    writing it writes the column, so the vectorised phases and the agent objects never
    disagree.
    """

    table_name: str = ""

    def __init__(self, model: mesa.Model, slot: int) -> None:
        super().__init__(model)
        self.slot = int(slot)

    @property
    def table(self):
        """The column table this agent's row lives in."""
        return getattr(self.model, self.table_name)

    @property
    def alive(self) -> bool:
        """Whether the agent's row is still in the model."""
        t = self.table
        return self.slot < len(t.row_of) and t.row_of[self.slot] >= 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.unique_id}, slot={self.slot})"
