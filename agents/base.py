"""Agents whose numeric state is a row of their type's column table."""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager

import mesa
from mesa.experimental.mesa_signals import ModelSignals

_MESA_MODEL_LOGGER = logging.getLogger("MESA.mesa.model")
"""The logger Mesa's ``Model.register_agent`` and ``deregister_agent`` write debug lines to."""


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a batch of agents is made or removed.

    Every agent is a tracked container, so thousands of new agents set off collections of the
    young generation every few hundred and, as they age, full collections over every agent
    (0.6 s at a million firms); the agents are long-lived and removed ones are freed by
    reference counting, so those collections find nothing. At 250,000 firms this cut the time
    in full collections from 20 to 5 ms a quarter. The collector's previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class TableAgent(mesa.Agent):
    """A Mesa agent that is a view onto one row of a :class:`model.table.Table`.

    Subclasses set ``table_name`` (the model attribute holding the table) and declare
    attributes with :class:`model.table.Column`. Reading ``agent.tfp`` reads the column;
    writing it writes the column, so the vectorised phases and the agent objects never
    disagree.

    Entrants and leavers come and go by the thousand a quarter, so :meth:`create_batch` and
    :meth:`remove_batch` register and deregister many agents at once: the same agent sets,
    ids and order as ``Agent.__init__`` and ``Agent.remove`` one by one, without Mesa's
    per-agent signal wrapper and debug-line formatting, which cost about four times the
    registration itself. Where anything listens (signal subscribers, a signal batch, tracked
    datasets, Mesa's debug log) they take Mesa's own path, agent by agent. The garbage
    collector is paused during a batch (:func:`collector_paused`).
    """

    table_name: str = ""

    def __init__(self, model: mesa.Model, slot: int) -> None:
        super().__init__(model)
        self.slot = int(slot)

    @classmethod
    def _quiet(cls, model: mesa.Model, signal) -> bool:
        """Whether registering agents of this type with ``model`` notifies no one."""
        return (
            cls.__init__ is TableAgent.__init__
            and cls.remove is mesa.Agent.remove
            and not cls._datasets
            and model._batch_context is None
            and not model._has_subscribers("agents", signal)
            and not _MESA_MODEL_LOGGER.isEnabledFor(logging.DEBUG)
        )

    @classmethod
    def create_batch(cls, model: mesa.Model, slots) -> list[TableAgent]:
        """New agents of this type for the table rows with ``slots``, in order.

        The same as ``[cls(model, slot) for slot in slots]``: each agent is added to
        ``model.agents`` and ``model.agents_by_type[cls]`` and numbered from
        ``model.agent_id_counter`` in that order.
        """
        slots = slots.tolist() if hasattr(slots, "tolist") else [int(s) for s in slots]
        if not slots or not cls._quiet(model, ModelSignals.AGENT_ADDED):
            return [cls(model, slot) for slot in slots]
        by_type = model.agents_by_type
        first = []
        if cls not in by_type:  # the first agent of its type makes the type's agent set
            first.append(cls(model, slots.pop(0)))
        new, uid, agents = cls.__new__, model.agent_id_counter, []
        with collector_paused():
            for slot in slots:
                agent = new(cls)
                agent.model = model
                agent.unique_id = uid
                agent.pos = None
                agent.slot = slot
                uid += 1
                agents.append(agent)
            model.agent_id_counter = uid
            add_all, add_type = model.agents.add, by_type[cls].add
            for agent in agents:
                add_all(agent)
                add_type(agent)
        return first + agents

    @classmethod
    def remove_batch(cls, model: mesa.Model, agents) -> None:
        """Remove ``agents`` (all of this type) from the model, as ``agent.remove()`` each."""
        if not cls._quiet(model, ModelSignals.AGENT_REMOVED):
            for agent in agents:
                agent.remove()
            return
        remove_all, remove_type = model.agents.remove, model.agents_by_type[cls].remove
        with collector_paused():
            for agent in agents:
                try:
                    remove_type(agent)
                    remove_all(agent)
                except KeyError:  # already removed, as Agent.remove allows
                    pass

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
