"""The transition model: schedule, mechanisms (pure array functions), ledger, indicators."""

from model import allocator
from model.model import TransitionModel

allocator.tune()

__all__ = ["TransitionModel"]
