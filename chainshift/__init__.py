"""chainshift: agent-based simulation of innovation-driven industrial transition.

The package gathers the repository's folders under one name: ``chainshift.model`` (the
transition model), ``chainshift.agents`` (the Mesa agents), ``chainshift.scenarios`` (schema,
library and loader), ``chainshift.experiments`` (sweeps, sensitivity, comparisons,
calibration), ``chainshift.viz`` (the dashboard) and ``chainshift.cli`` (the command line).

A notebook needs two names::

    from chainshift import TransitionModel, load_scenario

    model = TransitionModel(load_scenario("baseline"), rng=0)
    model.run(60)
    model.indicators()

The names below are imported on first use, so ``import chainshift`` and the command line start
without loading the model.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("chainshift")
except PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+unknown"

_EXPORTS = {
    "TransitionModel": "chainshift.model.model",
    "load_scenario": "chainshift.scenarios.loader",
    "available": "chainshift.scenarios.loader",
    "Scenario": "chainshift.scenarios.schema",
    "ScenarioError": "chainshift.scenarios.loader",
    "annual": "chainshift.model.summary",
}

__all__ = ["Scenario", "ScenarioError", "TransitionModel", "__version__", "annual", "available",
           "load_scenario"]


def __getattr__(name: str):
    """Import a public name from its module the first time it is asked for (PEP 562)."""
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'chainshift' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
