"""Load scenario files: inheritance, overrides, and one-line errors for bad input.

A scenario file is TOML. It may name a parent with ``extends = "baseline"`` (a name in this
folder or a path) and then hold only what differs. Chains are written as tables keyed by
chain name (``[chains.automobile]``); events and targets of a child are added to those it
inherits.

Every problem a user can cause raises :class:`ScenarioError`, whose message is one line
naming the file, the key, the value given and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
import math
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from scenarios.schema import SECTIONS, Chain, Scenario, bounds

SCENARIO_DIR = Path(__file__).resolve().parent


class ScenarioError(ValueError):
    """A user mistake in a scenario file, an override or an option; the message is one line."""


def available() -> dict[str, str]:
    """Shipped scenarios and the question each answers (its first-line comment)."""
    out = {}
    for path in sorted(SCENARIO_DIR.glob("*.toml")):
        first = path.read_text(encoding="utf-8").splitlines()[:1]
        line = first[0].lstrip("#").strip() if first and first[0].startswith("#") else ""
        out[path.stem] = line
    return out


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """Find the file for a scenario name or path.

    Raises:
        ScenarioError: when no such scenario exists or the path is not a readable file.
    """
    text = str(name_or_path)
    candidates = []
    if relative_to is not None and not Path(text).is_absolute():
        candidates.append(relative_to.parent / text)
        if not text.endswith(".toml"):
            candidates.append(relative_to.parent / f"{text}.toml")
    candidates += [Path(text), SCENARIO_DIR / f"{text}.toml"]
    for c in candidates:
        if c.exists():
            if c.is_dir():
                raise ScenarioError(f"{c}: is a directory, not a scenario file (.toml)")
            return c
    names = sorted(available())
    hint = _did_you_mean(text, names)
    raise ScenarioError(
        f"{text}: no such scenario file or name{hint}; shipped scenarios: {', '.join(names)}"
    )


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning every failure into a one-line ScenarioError."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ScenarioError(f"{path}: cannot be read ({err.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: is not a text file (not UTF-8); a scenario is TOML") from None
    if "\x00" in text:
        raise ScenarioError(f"{path}: is a binary file; a scenario is TOML text")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: malformed TOML: {err}") from None


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _chains_to_list(chains: Any, where: str) -> Any:
    if isinstance(chains, dict):
        out = []
        for name, body in chains.items():
            if not isinstance(body, dict):
                raise ScenarioError(f"{where}: chains.{name} = {body!r}: must be a table of chain fields")
            out.append({"name": name, **body})
        return out
    return chains


def _merge(base: dict, child: dict) -> dict:
    """Deep-merge child into base. Chains merge by name; events and targets are appended."""
    out = copy.deepcopy(base)
    for key, value in child.items():
        if key == "chains" and isinstance(value, list) and isinstance(out.get(key), list):
            by_name = {c["name"]: c for c in out[key]}
            for c in value:
                if c.get("name") in by_name:
                    by_name[c["name"]].update(c)
                else:
                    out[key].append(c)
        elif key in ("events", "targets") and isinstance(value, list):
            out[key] = list(out.get(key, [])) + value
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def resolved_dict(
    name_or_path: str | Path, _seen: tuple[Path, ...] = (), _from: Path | None = None
) -> tuple[dict[str, Any], Path]:
    """Read a scenario file and everything it extends, merged into one raw dict."""
    path = resolve_path(name_or_path, relative_to=_from)
    real = path.resolve()
    if real in _seen:
        chain = " -> ".join(p.stem for p in (*_seen, real))
        raise ScenarioError(f"{path}: extends: cycle in inheritance ({chain})")
    data = read_toml(path)
    if "chains" in data:
        data["chains"] = _chains_to_list(data["chains"], str(path))
    data.setdefault("name", path.stem)
    parent = data.pop("extends", None)
    if parent is None:
        return data, path
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends = {parent!r}: must be a scenario name or path")
    try:
        base, _ = resolved_dict(parent, (*_seen, real), _from=path)
    except ScenarioError as err:
        if "cycle" in str(err):
            raise
        raise ScenarioError(f"{path}: extends = '{parent}': {err}") from None
    base.pop("description", None)
    merged = _merge(base, data)
    merged["extends"] = parent
    return merged, path


def _set_dotted(data: dict, key: str, value: Any, source: str) -> None:
    parts = key.split(".")
    if parts[0] == "chains" and len(parts) == 3:
        chains = data.setdefault("chains", [c.model_dump() for c in Scenario().chains])
        for c in chains:
            if c["name"] == parts[1]:
                if parts[2] not in Chain.model_fields:
                    raise ScenarioError(
                        f"{source}: {key}: unknown chain field '{parts[2]}'"
                        f"{_did_you_mean(parts[2], Chain.model_fields)}"
                    )
                c[parts[2]] = value
                return
        names = [c["name"] for c in chains]
        raise ScenarioError(
            f"{source}: {key}: unknown chain '{parts[1]}'{_did_you_mean(parts[1], names)}; "
            f"allowed: {', '.join(names)}"
        )
    if len(parts) == 1 and parts[0] in ("name", "description"):
        data[parts[0]] = value
        return
    if len(parts) != 2 or parts[0] not in SECTIONS:
        keys = [f"{s}.{f}" for s, cls in SECTIONS.items() for f in cls.model_fields]
        raise ScenarioError(
            f"{source}: {key}: unknown parameter{_did_you_mean(key, keys)}; "
            "keys look like policy.coupling or chains.automobile.demand_growth"
        )
    section, name = parts
    if name not in SECTIONS[section].model_fields:
        raise ScenarioError(
            f"{source}: {key}: unknown parameter in [{section}]"
            f"{_did_you_mean(name, SECTIONS[section].model_fields)}"
        )
    data.setdefault(section, {})[name] = value


def parse_value(text: str) -> Any:
    """Parse a command-line value as a TOML value; bare words stay strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        if text.replace("_", "").replace(".", "").replace("-", "").isalnum() and not text[:1].isdigit():
            return text
        raise ScenarioError(f"--set: value '{text}' does not parse (a number, true/false or a word)") from None


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """Turn ``["policy.coupling=1", ...]`` into a dict of dotted keys.

    Raises:
        ScenarioError: when an item has no '=' or its value does not parse.
    """
    out: dict[str, Any] = {}
    for item in pairs:
        if "=" not in item:
            raise ScenarioError(f"--set {item}: expected key=value, e.g. policy.coupling=1")
        key, text = item.split("=", 1)
        try:
            out[key.strip()] = parse_value(text.strip())
        except ScenarioError:
            raise ScenarioError(
                f"--set {key.strip()}={text}: value '{text}' does not parse "
                "(a number, true/false or a word)"
            ) from None
    return out


def _location(data: dict, loc: tuple) -> str:
    """Dotted key of a pydantic error location, naming chains and events readably."""
    parts: list[str] = []
    i = 0
    while i < len(loc):
        item = loc[i]
        if item == "chains" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            try:
                parts.append(f"chains.{data['chains'][loc[i + 1]]['name']}")
            except (KeyError, IndexError, TypeError):
                parts.append(f"chains[{loc[i + 1]}]")
            i += 2
            continue
        if isinstance(item, int):
            parts[-1] = f"{parts[-1]}[{item}]"
        elif parts and parts[0].startswith("events[") and item in (
            "demand_shock", "energy_shortage", "policy_change", "promoted_project"
        ):
            pass  # the discriminator's tag adds nothing for the user
        else:
            parts.append(str(item))
        i += 1
    return ".".join(parts)


def _value_at(data: Any, loc: tuple) -> Any:
    for item in loc:
        try:
            data = data[item]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _allowed(loc: tuple, err: dict) -> str:
    """What is allowed for a field, from the schema."""
    model: type[BaseModel] | None = Scenario
    field = None
    for item in loc:
        if model is None or isinstance(item, int):
            continue
        field = model.model_fields.get(str(item))
        if field is None:
            break
        ann = field.annotation
        inner = getattr(ann, "__args__", (ann,))[0] if hasattr(ann, "__args__") else ann
        model = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
    if field is not None:
        lo, hi = bounds(field)
        unit = (field.json_schema_extra or {}).get("unit", "")
        typ = getattr(field.annotation, "__name__", str(field.annotation))
        if lo is not None or hi is not None:
            return f"allowed: {typ} from {lo} to {hi}" + (f" ({unit})" if unit else "")
        if typ:
            return f"allowed: {typ}"
    return ""


def format_validation(err: ValidationError, data: dict, source: str) -> str:
    """One line for the first problem in a pydantic ValidationError."""
    e = err.errors()[0]
    loc = tuple(e["loc"])
    key = _location(data, loc)
    msg = e["msg"].removeprefix("Value error, ")
    if e["type"] == "extra_forbidden":
        section = SECTIONS.get(loc[0]) if len(loc) == 2 else None
        options = section.model_fields if section else (
            Scenario.model_fields if len(loc) == 1 else Chain.model_fields if loc[0] == "chains" else []
        )
        hint = _did_you_mean(str(loc[-1]), options)
        return f"{source}: {key}: unknown key{hint}"
    if e["type"] == "union_tag_invalid":
        return f"{source}: {key}: unknown event kind {e.get('input', {}).get('kind')!r}; " \
            "allowed: demand_shock, energy_shortage, policy_change, promoted_project"
    value = e.get("input")
    if isinstance(value, dict | list):
        # a validator on a whole section: its message already names the key
        return f"{source}: {key + ': ' if key else ''}{msg}"
    allowed = _allowed(loc, e)
    shown = value if not isinstance(value, float) or math.isfinite(value) else str(value)
    return f"{source}: {key} = {shown!r}: {msg}" + (f"; {allowed}" if allowed and allowed not in msg else "")


def build(data: dict[str, Any], source: str) -> Scenario:
    """Validate a raw scenario dict, raising ScenarioError with one line."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(format_validation(err, data, source)) from None


def load_scenario(
    name_or_path: str | Path = "baseline", overrides: dict[str, Any] | None = None
) -> Scenario:
    """Load a scenario by name (a file in ``scenarios/``) or path, with dotted-key overrides.

    Example:
        >>> s = load_scenario("baseline", overrides={"population.enterprises": 1_000_000})

    Raises:
        ScenarioError: for any problem in the files or overrides, with a one-line message.
    """
    data, path = resolved_dict(name_or_path)
    source = str(path)
    for key, value in (overrides or {}).items():
        _set_dotted(data, key, value, "--set")
    if overrides:
        source = f"{path} with --set " + " ".join(f"{k}={v}" for k, v in overrides.items())
        try:
            return Scenario.model_validate(data)
        except ValidationError as err:
            line = format_validation(err, data, "--set")
            raise ScenarioError(line) from None
    return build(data, source)


def to_toml_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a TOML-ready dict (chains as tables keyed by name; no None values)."""
    d = scenario.model_dump(mode="json", exclude_none=True)
    d["chains"] = {c.pop("name"): c for c in d["chains"]}
    if not d["events"]:
        del d["events"]
    if not d["targets"]:
        del d["targets"]
    return d


def dumps(scenario: Scenario) -> str:
    """The fully resolved scenario as TOML text that loads back unchanged."""
    d = to_toml_dict(scenario)
    d.pop("extends", None)
    return tomli_w.dumps(d)


def diff(child: dict[str, Any], parent: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Keys whose values differ between two TOML-ready dicts (child's values)."""
    out: dict[str, Any] = {}
    for key, value in child.items():
        if key not in parent:
            out[key] = value
        elif isinstance(value, dict) and isinstance(parent[key], dict):
            sub = diff(value, parent[key])
            if sub:
                out[key] = sub
        elif value != parent[key]:
            out[key] = value
    return out
