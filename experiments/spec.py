"""Sweep specifications: a TOML file saying which parameters vary, how, and how often.

A spec names a scenario, a design and the parameters it varies::

    [sweep]
    scenario = "baseline"          # name or path (relative to the spec file)
    design = "grid"                # grid | lhs | sobol | morris
    samples = 64                   # for lhs, sobol, morris
    replications = 3
    seed = 2026
    quarters = 60                  # optional: fewer quarters for quick studies

    [fixed]                        # optional: overrides applied to every run
    "population.enterprises" = 300

    [parameters]
    "policy.rd_subsidy" = [0.0, 0.1, 0.2]            # values (grid)
    "policy.carbon_price" = { low = 0, high = 300 }  # range (sampled designs)

Keys are the scenario schema's dotted keys (``scenarios.schema.parameters()``) or chain
parameters (``chains.automobile.market_growth``). Every value is checked against the schema's
bounds before anything runs; each problem raises :class:`ScenarioError` with one line naming
the file, the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainshift.experiments.limits import MAX_RUNS, check_runs
from chainshift.scenarios.loader import ScenarioError, load_scenario, read_toml, resolve_path
from chainshift.scenarios.schema import Chain, Scenario, field_info, parameters

DESIGNS = ("grid", "lhs", "sobol", "morris")
"""Experimental designs: a full factorial grid, or sampled with SALib."""

SAMPLED = ("lhs", "sobol", "morris")
"""Designs that draw points from parameter ranges."""

SWEEP_KEYS = ("name", "scenario", "design", "samples", "replications", "seed", "quarters")
TABLES = ("sweep", "fixed", "parameters")


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a list of values (grid) or a range (sampled designs).

    Attributes:
        key: dotted parameter key, e.g. ``policy.carbon_price``.
        kind: ``"int"`` or ``"float"``, the schema type; sampled ints are rounded.
        values: the grid values, or None for a range.
        low, high: the range, or None for a list of values.
    """

    key: str
    kind: str
    values: tuple[float, ...] | None = None
    low: float | None = None
    high: float | None = None

    def cast(self, x: float) -> int | float:
        """A sampled or listed number in the parameter's type."""
        return math.floor(x + 0.5) if self.kind == "int" else float(x)


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep specification (see the module docstring for the file format).

    Attributes:
        name: name of the study (default: the spec file's stem).
        scenario: the scenario name or path as written.
        base: the scenario with the ``[fixed]`` overrides applied.
        design: one of :data:`DESIGNS`.
        samples: base sample count for sampled designs.
        replications: runs per design point, with seeds shared across points.
        seed: root of every seed in the study.
        quarters: quarters simulated per run (default: the whole horizon).
        fixed: overrides applied to every run.
        factors: the varied parameters, in file order.
        source: the spec file's path (for messages and the manifest).
        raw: the spec as read, for the results folder.
    """

    name: str
    scenario: str
    base: Scenario
    design: str
    samples: int
    replications: int
    seed: int
    quarters: int
    fixed: dict[str, Any]
    factors: tuple[Factor, ...]
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def keys(self) -> list[str]:
        """The varied parameters' keys."""
        return [f.key for f in self.factors]


def _hint(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _show(value: Any) -> str:
    """A value as the user wrote it in TOML."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def numeric_parameters(scenario: Scenario) -> dict[str, dict[str, Any]]:
    """Every key a spec may set, with its schema info (type, lo, hi, unit).

    Scalar int and float parameters of the schema's sections, plus the numeric fields of each
    of the scenario's chains as ``chains.<name>.<field>``.
    """
    out = {p["key"]: p for p in parameters() if p["type"] in ("int", "float")}
    for chain in scenario.chains:
        for name in Chain.model_fields:
            info = field_info(Chain, name)
            if info["type"] in ("int", "float"):
                out[f"chains.{chain.name}.{name}"] = {**info, "key": f"chains.{chain.name}.{name}"}
    return out


def _allowed(info: dict[str, Any]) -> str:
    unit = f" ({info['unit']})" if info.get("unit") else ""
    return f"allowed: {info['type']} from {info['lo']} to {info['hi']}{unit}"


class _Checker:
    """Builds one-line errors for one spec file."""

    def __init__(self, source: str, known: dict[str, dict[str, Any]],
                 max_runs: int | None = MAX_RUNS) -> None:
        self.source = source
        self.known = known
        self.max_runs = max_runs

    def fail(self, where: str, value: Any, problem: str) -> ScenarioError:
        shown = "" if value is None else f" = {_show(value)}"
        return ScenarioError(f"{self.source}: {where}{shown}: {problem}")

    def info(self, table: str, key: str, value: Any) -> dict[str, Any]:
        if key in self.known:
            return self.known[key]
        schema_keys = {p["key"]: p for p in parameters()}
        if key in schema_keys:
            raise self.fail(f'{table}."{key}"', value,
                            f"not a numeric parameter (type {schema_keys[key]['type']}); "
                            "sweeps vary int and float parameters")
        raise self.fail(f'{table}."{key}"', value, "unknown parameter"
                        f"{_hint(key, self.known)}; keys look like policy.coupling or "
                        "chains.automobile.market_growth (listed in docs/PARAMETERS.md)")

    def number(self, table: str, key: str, info: dict[str, Any], value: Any, shown: Any) -> float:
        """Check one number against the parameter's type and bounds."""
        where = f'{table}."{key}"'
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, shown, f"{_show(value)} is not a number; {_allowed(info)}")
        if not math.isfinite(value):
            raise self.fail(where, shown, f"{value} is not finite; {_allowed(info)}")
        if info["type"] == "int" and not float(value).is_integer():
            raise self.fail(where, shown, f"{value} is not a whole number; {_allowed(info)}")
        lo, hi = info["lo"], info["hi"]
        if lo is not None and value < lo:
            raise self.fail(where, shown, f"{value} is below the minimum; {_allowed(info)}")
        if hi is not None and value > hi:
            raise self.fail(where, shown, f"{value} is above the maximum; {_allowed(info)}")
        return value

    def integer(self, key: str, value: Any, lo: int, hi: int | None = None, extra: str = "") -> int:
        where = f"sweep.{key}"
        rng = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
        if isinstance(value, bool) or not isinstance(value, int) or value < lo or (
            hi is not None and value > hi
        ):
            raise self.fail(where, value, f"must be a whole number {rng}{extra}")
        return value


def _factor(check: _Checker, key: str, value: Any, design: str) -> Factor:
    """Validate one ``[parameters]`` entry for the design."""
    info = check.info("parameters", key, value)
    where = f'parameters."{key}"'
    kind = info["type"]
    if isinstance(value, list):
        if design in SAMPLED:
            raise check.fail(where, value, f"design '{design}' samples from a range; write "
                             f'"{key}" = {{ low = ..., high = ... }}')
        if not value:
            raise check.fail(where, value, "needs at least one value")
        nums = [check.number("parameters", key, info, v, value) for v in value]
        if len(set(nums)) != len(nums):
            raise check.fail(where, value, "repeats a value; each grid value must differ")
        return Factor(key, kind, values=tuple(nums))
    if isinstance(value, dict):
        unknown = set(value) - {"low", "high", "steps"}
        if unknown:
            bad = sorted(unknown)[0]
            raise check.fail(where, value, f"unknown field '{bad}'"
                             f"{_hint(bad, ['low', 'high', 'steps'])}; allowed: low, high"
                             + (", steps" if design == "grid" else ""))
        if "low" not in value or "high" not in value:
            raise check.fail(where, value, "a range needs both low and high")
        low = check.number("parameters", key, info, value["low"], value)
        high = check.number("parameters", key, info, value["high"], value)
        if not low < high:
            raise check.fail(where, value, f"low {low} must be below high {high}")
        if design == "grid":
            steps = value.get("steps")
            if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
                raise check.fail(where, value, "a grid range needs steps = N (2 or more) to "
                                 "make N evenly spaced values; or list the values")
            check_runs(steps, 1, f"{check.source}: {where}", f"steps = {steps:,}",
                       check.max_runs)
            vals = [low + (high - low) * i / (steps - 1) for i in range(steps)]
            vals = [round(v) if kind == "int" else v for v in vals]
            if len(set(vals)) != len(vals):
                raise check.fail(where, value, f"steps = {steps} repeats whole numbers between "
                                 f"{low} and {high}; use fewer steps")
            return Factor(key, kind, values=tuple(vals))
        if "steps" in value:
            raise check.fail(where, value, f"steps only applies to the grid design, not '{design}'")
        return Factor(key, kind, low=float(low), high=float(high))
    raise check.fail(where, value, "expected a list of values [a, b, ...] or a range "
                     "{ low = ..., high = ... }")


def planned_runs(spec: SweepSpec, design: str | None = None) -> tuple[int, str]:
    """Runs a spec plans with its design (or ``design``), and how that count arises.

    Counted from the spec alone, before anything is sampled: a grid's points are the product
    of its value counts; LHS draws ``samples`` points, Sobol' ``samples x (D + 2)`` and Morris
    ``samples x (D + 1)`` for D parameters.
    """
    design = design or spec.design
    d = len(spec.factors)
    if design == "grid":
        points = math.prod(len(f.values or ()) for f in spec.factors)
    else:
        points = spec.samples * {"lhs": 1, "sobol": d + 2, "morris": d + 1}[design]
    reps = spec.replications
    how = f"{points:,} points x {reps:,} replication{'s' if reps != 1 else ''}"
    return points * reps, how


def check_size(spec: SweepSpec, design: str | None = None,
               max_runs: int | None = MAX_RUNS) -> None:
    """Raise a one-line ScenarioError if the spec plans more runs than allowed."""
    runs, how = planned_runs(spec, design)
    check_runs(runs, len(spec.factors), spec.source, how, max_runs)


def load_spec(path: str | Path, max_runs: int | None = MAX_RUNS) -> SweepSpec:
    """Read and validate a sweep spec file.

    Args:
        path: the spec's TOML file.
        max_runs: most runs the spec may plan (:mod:`experiments.limits`); None: no limit.

    Returns:
        The validated :class:`SweepSpec`.

    Raises:
        ScenarioError: one line naming the file, the key, the value and what is allowed.
    """
    path = Path(path)
    if not path.exists():
        raise ScenarioError(f"{path}: no such sweep spec file")
    if path.is_dir():
        raise ScenarioError(f"{path}: is a directory, not a sweep spec file (.toml)")
    return parse_spec(read_toml(path), str(path), path, max_runs=max_runs)


def parse_spec(data: dict[str, Any], source: str, path: Path | None = None,
               max_runs: int | None = MAX_RUNS) -> SweepSpec:
    """Validate a spec already parsed from TOML (see :func:`load_spec`)."""
    for table in data:
        if table not in TABLES:
            raise ScenarioError(f"{source}: [{table}]: unknown table{_hint(table, TABLES)}; "
                                f"allowed: {', '.join(TABLES)}")
    sweep = data.get("sweep", {})
    if not isinstance(sweep, dict):
        raise ScenarioError(f"{source}: sweep = {_show(sweep)}: must be a table [sweep] naming "
                            "the scenario and design")
    for key in sweep:
        if key not in SWEEP_KEYS:
            raise ScenarioError(f"{source}: sweep.{key}: unknown key{_hint(key, SWEEP_KEYS)}; "
                                f"allowed: {', '.join(SWEEP_KEYS)}")
    scenario_name = sweep.get("scenario", "baseline")
    if not isinstance(scenario_name, str):
        raise ScenarioError(f"{source}: sweep.scenario = {_show(scenario_name)}: "
                            "must be a scenario name or path")
    try:
        scenario_path = resolve_path(scenario_name, relative_to=path)
        plain = load_scenario(scenario_path)
    except ScenarioError as err:
        raise ScenarioError(f"{source}: sweep.scenario = \"{scenario_name}\": {err}") from None
    check = _Checker(source, numeric_parameters(plain), max_runs)

    design = sweep.get("design", "grid")
    if design not in DESIGNS:
        raise check.fail("sweep.design", design, f"unknown design{_hint(str(design), DESIGNS)}; "
                         f"allowed: {', '.join(DESIGNS)}")
    samples = check.integer("samples", sweep.get("samples", 16), 1)
    if design == "sobol" and samples & (samples - 1):
        raise check.fail("sweep.samples", samples, "Sobol sampling needs a power of 2; "
                         "allowed: 2, 4, 8, 16, 32, 64, ...")
    if design == "morris" and samples < 2:
        raise check.fail("sweep.samples", samples, "Morris needs at least 2 trajectories")
    replications = check.integer("replications", sweep.get("replications", 1), 1)
    seed = check.integer("seed", sweep.get("seed", 0), 0, 2**63 - 1)

    fixed = data.get("fixed", {})
    if not isinstance(fixed, dict):
        raise check.fail("[fixed]", fixed, 'must be a table of "key" = value overrides')
    for key, value in fixed.items():
        info = check.info("fixed", key, value)
        check.number("fixed", key, info, value, value)
    try:
        base = load_scenario(scenario_path, overrides=fixed)
    except ScenarioError as err:
        raise ScenarioError(f"{source}: [fixed]: {str(err).removeprefix('--set: ')}") from None

    horizon = base.horizon.quarters
    quarters = check.integer("quarters", sweep.get("quarters", horizon), 1, horizon,
                             f" (the scenario's horizon {base.horizon.start_year}-"
                             f"{base.horizon.end_year} has {horizon} quarters)")

    params = data.get("parameters")
    if not isinstance(params, dict) or not params:
        raise ScenarioError(f"{source}: [parameters]: missing or empty; it lists what the sweep "
                            'varies, e.g. "policy.rd_subsidy" = [0.0, 0.1, 0.2]')
    factors = []
    for key, value in params.items():
        if key in fixed:
            raise check.fail(f'parameters."{key}"', value, "is also set in [fixed]; "
                             "a parameter is either fixed or varied")
        factors.append(_factor(check, key, value, design))

    name = sweep.get("name", path.stem if path is not None else "sweep")
    if not isinstance(name, str) or not name.replace("-", "_").isidentifier():
        raise check.fail("sweep.name", name, "must be a word of letters, digits, - and _")
    spec = SweepSpec(name=name, scenario=str(scenario_name), base=base, design=design,
                     samples=samples, replications=replications, seed=seed, quarters=quarters,
                     fixed=dict(fixed), factors=tuple(factors), source=source, raw=data)
    check_size(spec, max_runs=max_runs)
    _check_corners(check, base, factors)
    return spec


def _check_corners(check: _Checker, base: Scenario, factors: list[Factor]) -> None:
    """Validate the scenario at each factor's extremes (cross-field rules such as the horizon)."""
    from chainshift.experiments.runner import apply_overrides

    for f in factors:
        ends = (min(f.values), max(f.values)) if f.values is not None else (f.low, f.high)
        for value in ends:
            try:
                apply_overrides(base, {f.key: f.cast(value)})
            except ScenarioError as err:
                raise check.fail(f'parameters."{f.key}"', value, str(err)) from None
