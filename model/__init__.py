"""The transition model: schedule, mechanisms (pure array functions), ledger, indicators."""

from model.model import TransitionModel

__all__ = ["TransitionModel"]
