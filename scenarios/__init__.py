"""Scenarios: the typed schema, the shipped TOML files and their loader."""

from chainshift.scenarios.loader import ScenarioError, available, dumps, load_scenario
from chainshift.scenarios.schema import Scenario, parameters

__all__ = ["Scenario", "ScenarioError", "available", "dumps", "load_scenario", "parameters"]
