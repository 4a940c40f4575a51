"""Scenarios: the typed schema, the shipped TOML files and their loader."""

from scenarios.loader import ScenarioError, available, dumps, load_scenario
from scenarios.schema import Scenario, parameters

__all__ = ["Scenario", "ScenarioError", "available", "dumps", "load_scenario", "parameters"]
