"""The transition model: schedule, mechanisms (pure array functions), ledger, indicators."""

from chainshift.model import allocator
from chainshift.model.model import TransitionModel

allocator.tune()

__all__ = ["TransitionModel"]
