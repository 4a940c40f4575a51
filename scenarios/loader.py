"""Load scenario files: inheritance, overrides, and one-line errors for bad input.

A scenario file is TOML. It may name a parent with ``extends = "baseline"`` (a name in this
folder or a path relative to the file) and then hold only what differs; parents may extend
further. Merging rules:

- sections (``[policy]`` ...) merge key by key;
- chains are tables keyed by chain name (``[chains.automobile]``) and merge by name;
- events (``[[events]]``) of a child are added to those it inherits; ``events = []`` drops
  the inherited ones;
- a target (``[[targets]]``) replaces an inherited one for the same indicator and year;
  ``targets = []`` drops the inherited ones;
- ``name`` defaults to the file name, ``description`` to the file's first-line comment.

Every problem a user can cause raises :class:`ScenarioError`, whose message is one line
naming the file, the key, the value given and what is allowed.
"""

from __future__ import annotations

import copy
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, get_args

import tomli_w
from pydantic import BaseModel, ValidationError

from chainshift.scenarios.schema import (
    SECTIONS,
    Chain,
    DemandShock,
    EnergyShortage,
    PolicyChange,
    PromotedProject,
    Scenario,
    Target,
    bounds,
    default_chains,
    did_you_mean,
)

SCENARIO_DIR = Path(__file__).resolve().parent

NAMED_DIRS = (SCENARIO_DIR, SCENARIO_DIR / "data")
"""Where scenario names are looked up: the library, then the shipped data (the calibrated
fit, ``calibrated``, which runs by name but is not one of the library's questions)."""

MAX_FILE_BYTES = 1_000_000
"""Largest scenario or spec file read (the shipped ones are a few kB)."""

MAX_EXTENDS_DEPTH = 64
"""Longest chain of ``extends`` (the shipped library is two deep)."""

EVENT_KINDS: dict[str, type[BaseModel]] = {
    "demand_shock": DemandShock,
    "energy_shortage": EnergyShortage,
    "policy_change": PolicyChange,
    "promoted_project": PromotedProject,
}
"""Event classes by their ``kind``."""

TABLE_ORDER = ("horizon", "population", "chains", "markets", "technology", "labour",
               "finance", "energy", "adoption", "parks", "suppliers", "policy")
"""Order of the tables in written scenario files."""


class ScenarioError(ValueError):
    """A user mistake in a scenario file, an override or an option; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).splitlines()))


# -- files ------------------------------------------------------------------------------------
def first_comment(text: str) -> str:
    """The text of a file's first line if it is a comment, else ''."""
    lines = text.splitlines()[:1]
    return lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else ""


def available() -> dict[str, str]:
    """Shipped scenarios and the question each answers (its first-line comment)."""
    return {
        path.stem: first_comment(path.read_text(encoding="utf-8"))
        for path in sorted(SCENARIO_DIR.glob("*.toml"))
    }


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """Find the file for a scenario name or path.

    Args:
        name_or_path: a shipped scenario's name ("baseline") or a path to a TOML file.
        relative_to: the file that names it (an ``extends``); relative paths start there.

    Raises:
        ScenarioError: when no such scenario exists or the path is a directory.
    """
    text = str(name_or_path)
    candidates = []
    if relative_to is not None and not Path(text).is_absolute():
        candidates.append(relative_to.parent / text)
        if not text.endswith(".toml"):
            candidates.append(relative_to.parent / f"{text}.toml")
    candidates.append(Path(text))
    if "/" not in text and "\\" not in text:
        file = text if text.endswith(".toml") else f"{text}.toml"
        candidates += [folder / file for folder in NAMED_DIRS]
    for c in candidates:
        if c.exists() and not c.is_dir():
            return c
    for c in candidates:
        if c.is_dir():
            raise ScenarioError(f"{c}: is a directory; allowed: a scenario file (.toml)")
    names = sorted(available())
    raise ScenarioError(
        f"{text}: no such scenario file or name{did_you_mean(text, names)}; "
        f"allowed: a .toml path or one of {', '.join(names)}"
    )


def read_text(path: Path) -> str:
    """A scenario file's text, turning unreadable, binary, special or huge files into a
    ScenarioError (devices, pipes and sockets are refused before they are opened).
    """
    try:
        info = os.stat(path)
    except OSError as err:
        raise ScenarioError(f"{path}: cannot be read ({err.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"{path}: is not a regular file (a device, pipe or socket); "
                            "allowed: a TOML text file")
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(f"{path}: is {info.st_size:,} bytes; allowed: a TOML file of at "
                            f"most {MAX_FILE_BYTES:,} bytes")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ScenarioError(f"{path}: cannot be read ({err.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:  # it grew after the size was read
        raise ScenarioError(f"{path}: is more than {MAX_FILE_BYTES:,} bytes; allowed: a TOML "
                            f"file of at most {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: is not a text file (not UTF-8); allowed: TOML text") from None
    if "\x00" in text:
        raise ScenarioError(f"{path}: is a binary file; allowed: TOML text")
    return text.removeprefix("\ufeff")  # editors on Windows may start with a byte-order mark


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning every failure into a one-line ScenarioError."""
    return parse_toml(read_text(path), path)


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    """Parse TOML text; a syntax error names the line and column, a repeated key names it."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: {_toml_problem(text, str(err))}") from None


_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_HEADER = re.compile(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"\s*([^=#\[]+?)\s*=")


def _toml_problem(text: str, message: str) -> str:
    """'malformed TOML: ...' for a syntax error; the key or table for a repeated one."""
    at = _AT_LINE.search(message)
    repeated = message.startswith(("Cannot overwrite a value", "Cannot declare"))
    if not at or not repeated:
        return f"malformed TOML: {message}"
    number = int(at.group(1))
    lines = text.splitlines()
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    header = _HEADER.match(line)
    if header:
        return (f"[{header.group(1)}]: declared twice, or already set as a value (line "
                f"{number}); allowed: each table once, with all its keys under it")
    key = _KEY.match(line)
    table = next((m.group(1) for m in map(_HEADER.match, reversed(lines[:number - 1])) if m),
                 None)
    name = key.group(1).replace('"', "").replace(" ", "") if key else "a key"
    where = f"{table}.{name}" if table else name
    return (f"{where}: given twice (line {number}); allowed: each key once per table")


# -- inheritance ------------------------------------------------------------------------------
def _chains_to_list(chains: Any, where: str) -> Any:
    """``[chains.x]`` tables to the schema's list of chains (each with its name)."""
    if not isinstance(chains, dict):
        return chains
    out = []
    for name, body in chains.items():
        if not isinstance(body, dict):
            raise ScenarioError(
                f"{where}: chains.{name} = {body!r}: not a table; "
                f"allowed: a [chains.{name}] table of chain fields"
            )
        out.append({**body, "name": name})
    return out


def _merge(base: dict, child: dict) -> dict:
    """Deep-merge a child scenario into its parent (raw dicts; see the module docstring)."""
    out = copy.deepcopy(base)
    for key, value in child.items():
        old = out.get(key)
        if key in ("events", "targets") and value == []:
            out[key] = []  # an explicit empty list drops what is inherited
        elif key == "chains" and isinstance(value, list) and isinstance(old, list):
            by_name = {c.get("name"): c for c in old if isinstance(c, dict)}
            for c in value:
                if isinstance(c, dict) and c.get("name") in by_name:
                    by_name[c["name"]].update(c)
                else:
                    old.append(copy.deepcopy(c))
        elif key == "targets" and isinstance(value, list) and isinstance(old, list):
            replaced = {_target_key(t) for t in value}
            out[key] = [t for t in old if _target_key(t) not in replaced] + value
        elif key == "events" and isinstance(value, list) and isinstance(old, list):
            out[key] = old + value
        elif isinstance(value, dict) and isinstance(old, dict):
            out[key] = _merge(old, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _target_key(target: Any) -> tuple:
    return (target.get("indicator"), target.get("year")) if isinstance(target, dict) else ()


Origins = dict[str, list[tuple[Path, int]]]
"""For 'events' and 'targets': the file and position each merged item was written at."""


def resolved_dict(name_or_path: str | Path) -> tuple[dict[str, Any], Path]:
    """Read a scenario file and everything it extends, merged into one raw dict.

    Returns:
        (data, path): the merged dict (``extends`` names the immediate parent) and the file.

    Raises:
        ScenarioError: for a missing, unreadable or malformed file anywhere in the chain, or
            an inheritance cycle.
    """
    data, path, _ = _resolve(name_or_path)
    return data, path


def _resolve(
    name_or_path: str | Path, seen: tuple[Path, ...] = (), relative_to: Path | None = None
) -> tuple[dict[str, Any], Path, Origins]:
    path = resolve_path(name_or_path, relative_to=relative_to)
    real = path.resolve()
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            f"{path}: extends: more than {MAX_EXTENDS_DEPTH} scenarios deep (from "
            f"{seen[0].name}); allowed: a chain of at most {MAX_EXTENDS_DEPTH} parents")
    if real in seen:
        cycle = " -> ".join(p.stem for p in (*seen, real))
        raise ScenarioError(
            f"{path}: extends: cycle in inheritance ({cycle}); "
            "allowed: a chain of parents that ends in a file without extends"
        )
    text = read_text(path)
    data = parse_toml(text, path)
    if "chains" in data:
        data["chains"] = _chains_to_list(data["chains"], str(path))
    data.setdefault("name", path.stem)
    data.setdefault("description", first_comment(text))
    origins = {
        key: [(path, i) for i in range(len(data[key]))] if isinstance(data.get(key), list) else []
        for key in ("events", "targets")
    }
    parent = data.pop("extends", None)
    if parent is None:
        return data, path, origins
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(
            f"{path}: extends = {parent!r}: not a scenario; allowed: a scenario name or path"
        )
    try:
        base, _, base_origins = _resolve(parent, (*seen, real), relative_to=path)
    except ScenarioError as err:
        if "cycle in inheritance" in str(err):
            raise
        raise ScenarioError(f"{path}: extends = '{parent}': {err}") from None
    if "chains" in data and "chains" not in base:
        base["chains"] = [c.model_dump() for c in default_chains()]
    merged = _merge(base, data)
    merged["extends"] = parent
    for key in ("events", "targets"):
        kept = base_origins[key] if data.get(key) != [] else []
        if key == "targets" and isinstance(data.get(key), list):
            replaced = {_target_key(t) for t in data[key]}
            kept = [o for o, t in zip(kept, base.get(key, []), strict=False)
                    if _target_key(t) not in replaced]
        base_origins[key] = kept + origins[key]
    return merged, path, base_origins


# -- command-line overrides -------------------------------------------------------------------
def parse_value(text: str) -> Any:
    """Parse a command-line value as a TOML value; a bare word stays a string.

    Raises:
        ScenarioError: when the text is neither a TOML value nor a bare word.
    """
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", text):
            return text
        raise ScenarioError(
            f"--set: value '{text}' does not parse; allowed: a number, true/false, "
            "a quoted string or a word"
        ) from None


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """Turn ``["policy.coupling=1", ...]`` into a dict of dotted keys.

    Raises:
        ScenarioError: when an item has no '=' or its value does not parse.
    """
    out: dict[str, Any] = {}
    for item in pairs:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(
                f"--set: '{item}': expected KEY=VALUE; allowed: e.g. policy.coupling=1"
            )
        try:
            out[key.strip()] = parse_value(text.strip())
        except ScenarioError:
            raise ScenarioError(
                f"--set: {key.strip()} = '{text}': does not parse; allowed: a number, "
                "true/false, a quoted string or a word"
            ) from None
    return out


def _set_dotted(data: dict, key: str, value: Any, source: str = "--set") -> None:
    """Apply one dotted-key override to a raw scenario dict."""
    parts = key.split(".")
    where = f"{source}: {key} = {value!r}"
    if parts[0] == "chains":
        chains = data.setdefault("chains", [c.model_dump() for c in default_chains()])
        names = [c.get("name") for c in chains]
        fields = [f for f in Chain.model_fields if f != "name"]
        if len(parts) == 2 and parts[1] in names:
            raise ScenarioError(
                f"{where}: a chain has fields, not one value; allowed: "
                f"chains.{parts[1]}.<field> with field one of {', '.join(fields)}"
            )
        if len(parts) != 3 or parts[1] not in names:
            wrong = parts[1] if len(parts) > 1 else ""
            raise ScenarioError(
                f"{where}: unknown chain '{wrong}'{did_you_mean(wrong, names)}; "
                f"allowed: chains.<name>.<field> with name one of {', '.join(names)}"
            )
        if parts[2] not in fields:
            raise ScenarioError(
                f"{where}: unknown chain field{did_you_mean(parts[2], fields)}; "
                f"allowed: {', '.join(fields)}"
            )
        chains[names.index(parts[1])][parts[2]] = value
        return
    if len(parts) == 1 and parts[0] in ("name", "description"):
        data[parts[0]] = value
        return
    if len(parts) != 2 or parts[0] not in SECTIONS:
        options = [*SECTIONS, "chains"]
        keys = [f"{s}.{f}" for s, cls in SECTIONS.items() for f in cls.model_fields]
        hint = did_you_mean(key, keys) or did_you_mean(parts[0], options)
        raise ScenarioError(
            f"{where}: unknown parameter{hint}; allowed: <section>.<name> with section one "
            f"of {', '.join(options)} (list in docs/PARAMETERS.md)"
        )
    section, name = parts
    fields = list(SECTIONS[section].model_fields)
    if name not in fields:
        raise ScenarioError(
            f"{where}: unknown parameter in [{section}]{did_you_mean(name, fields)}; "
            f"allowed: {', '.join(fields)}"
        )
    table = data.setdefault(section, {})
    if not isinstance(table, dict):
        raise ScenarioError(f"{where}: [{section}] is not a table in the scenario file")
    table[name] = value


# -- validation messages ----------------------------------------------------------------------
PLAIN_MESSAGES = {
    "greater_than_equal": "out of range",
    "less_than_equal": "out of range",
    "greater_than": "out of range",
    "less_than": "out of range",
    "int_from_float": "not a whole number",
    "int_type": "not a whole number",
    "int_parsing": "not a whole number",
    "int_parsing_size": "out of range",
    "float_type": "not a number",
    "float_parsing": "not a number",
    "string_type": "not text",
    "bool_type": "not true or false",
    "bool_parsing": "not true or false",
    "string_pattern_mismatch": "not a valid name",
    "list_type": "not a list",
    "model_type": "not a table",
    "model_attributes_type": "not a table",
    "dict_type": "not a table",
    "literal_error": "not an allowed value",
}
"""Plain words for pydantic's error types."""

PLAIN_TYPES = {"str": "text", "bool": "true or false"}
"""Plain words for the schema's non-numeric types."""

CHAIN_FIELDS = (DemandShock.model_fields["chain"], PromotedProject.model_fields["chain"])
"""Event fields that name a chain."""


def _inner_model(field) -> type[BaseModel] | None:
    for t in (field.annotation, *get_args(field.annotation)):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _walk(loc: tuple, data: dict) -> tuple[str, type[BaseModel] | None, Any]:
    """Follow a pydantic error location through the schema.

    Returns:
        (key, holder, field): the dotted key users read (``chains.automobile.va_share``,
        ``events[0].size``), the model holding the last part, and that part's field (or None).
    """
    key = ""
    model: type[BaseModel] | None = Scenario
    holder: type[BaseModel] | None = Scenario
    field = None
    prev: Any = None
    for item in loc:
        if isinstance(item, int):
            if prev == "chains":
                try:
                    key = f"{key}.{data['chains'][item]['name']}"
                except (KeyError, IndexError, TypeError):
                    key = f"{key}[{item}]"
            else:
                key = f"{key}[{item}]"
        elif isinstance(prev, int) and item in EVENT_KINDS and key.startswith("events["):
            model = EVENT_KINDS[item]  # the event's kind tag adds nothing for the user
        else:
            holder = model
            field = model.model_fields.get(str(item)) if model is not None else None
            key = f"{key}.{item}" if key else str(item)
            model = _inner_model(field) if field is not None else None
        prev = item
    return key, holder, field


def _allowed(field, data: dict) -> str:
    """'allowed: float from 0.0 to 1.0 (0-1)' for a schema field."""
    if field is None:
        return "allowed: see docs/PARAMETERS.md"
    if any(field is f for f in CHAIN_FIELDS):
        names = [c.get("name") for c in data.get("chains") or [] if isinstance(c, dict)]
        return f"allowed: {', '.join(names or [c.name for c in default_chains()])}"
    table = next((k for k, v in Scenario.model_fields.items() if v is field), None)
    if table in ("events", "targets", "chains"):
        return f"allowed: [[{table}]] blocks" if table != "chains" else (
            "allowed: [chains.<name>] tables")
    if table is not None and _inner_model(field) is not None:
        return f"allowed: a [{table}] table"
    lo, hi = bounds(field)
    unit = (field.json_schema_extra or {}).get("unit", "")
    typ = getattr(field.annotation, "__name__", None) or str(field.annotation)
    text = f"allowed: {PLAIN_TYPES.get(typ, typ)}"
    if lo is not None or hi is not None:
        text += f" from {lo} to {hi}"
    if any(getattr(m, "pattern", None) for m in field.metadata):
        text += " of lower-case letters, digits and _, starting with a letter"
    return text + (f" ({unit})" if unit and unit != "1" else "")


def _join(key: str, message: str) -> str:
    """Prefix a validator's message (which starts with a field name) with its section key."""
    if not key:
        return message
    head = re.match(r"[A-Za-z_]\w*", message)
    last = re.split(r"[.\[]", key)[-1]
    if head and head.group() == last:
        return key[: len(key) - len(last)] + message
    return f"{key}.{message}" if head else f"{key}: {message}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "a table" if isinstance(value, dict) else repr(value)


def format_validation(err: ValidationError, data: dict, source: str,
                      origins: Origins | None = None) -> str:
    """One line for the first problem in a pydantic ValidationError.

    Args:
        err: the error raised validating ``data``.
        data: the raw scenario dict.
        source: what the data came from (a file, or ``--set``), put first on the line.
        origins: where each event and target was written, to name that file and block.
    """
    return _locate(f"{source}: {_problem(err.errors()[0], data)}", source, origins)


def _problem(e: dict, data: dict) -> str:
    """'key = value: what is wrong; allowed: ...' for one pydantic error."""
    loc = tuple(e["loc"])
    key, holder, field = _walk(loc, data)
    value = e.get("input")
    kind = e["type"]
    msg = e["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        options = [f for f in (holder.model_fields if holder else []) if f != "name"]
        if holder is Scenario:
            options = ["name", *options]
        what = "section" if holder is Scenario and isinstance(value, dict) else "key"
        given = f"[{key}]" if what == "section" else f"{key} = {_shown(value)}"
        hint = did_you_mean(str(loc[-1]), options)
        return f"{given}: unknown {what}{hint}; allowed: {', '.join(options)}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = value.get("kind") if isinstance(value, dict) else None
        problem = f"kind = {tag!r}: unknown event kind" if tag is not None else "kind: missing"
        return f"{key}: {problem}; allowed: {', '.join(EVENT_KINDS)}"
    if kind == "missing":
        help_ = f" ({field.description})" if field is not None and field.description else ""
        return f"{key}: missing{help_}; {_allowed(field, data)}"
    if kind == "value_error" and isinstance(value, dict | list):
        # a validator on a whole section or list: its message names the key and value
        return _join(key, msg)
    if "allowed:" in msg:
        return f"{key} = {_shown(value)}: {msg}"
    return f"{key} = {_shown(value)}: {PLAIN_MESSAGES.get(kind, msg)}; {_allowed(field, data)}"


def _locate(line: str, source: str, origins: Origins | None) -> str:
    """Name an event or target by the file and block it was written in ([[events]] 1)."""
    head = f"{source}: "
    m = re.match(r"(events|targets)\[(\d+)\]", line[len(head):])
    if not m or not origins or int(m[2]) >= len(origins.get(m[1], [])):
        return line
    path, local = origins[m[1]][int(m[2])]
    rest = line[len(head) + m.end():].removeprefix(".").removeprefix(": ")
    block = f"[[{m[1]}]] {local + 1}"
    where = block if str(path) == source else f"{path} {block}"
    return f"{head}{where}: {rest}"


def build(data: dict[str, Any], source: str, origins: Origins | None = None) -> Scenario:
    """Validate a raw scenario dict, raising ScenarioError with one line."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(format_validation(err, data, source, origins)) from None


def load_scenario(
    name_or_path: str | Path = "baseline", overrides: dict[str, Any] | None = None
) -> Scenario:
    """Load a scenario by name (a file in ``scenarios/``) or path, with dotted-key overrides.

    The file (with everything it extends) is validated first, then the overrides, so a
    message names whichever of the two is wrong.

    Example:
        >>> s = load_scenario("baseline", overrides={"population.enterprises": 1_000_000})

    Raises:
        ScenarioError: for any problem in the files or overrides, with a one-line message.
    """
    data, path, origins = _resolve(name_or_path)
    scenario = build(data, str(path), origins)
    if not overrides:
        return scenario
    for key, value in overrides.items():
        _set_dotted(data, key, value)
    return build(data, "--set", origins)


def with_overrides(
    base: Scenario | dict[str, Any], overrides: dict[str, Any], source: str = "--set"
) -> Scenario:
    """A validated scenario: ``base`` (a Scenario or its ``model_dump()``) with dotted-key
    overrides such as ``{"policy.coupling": 1.0, "chains.nev.market_growth": 0.2}``.

    Raises:
        ScenarioError: when a key is unknown or a value is not allowed (one line).
    """
    data = copy.deepcopy(base.model_dump() if isinstance(base, Scenario) else base)
    for key, value in overrides.items():
        _set_dotted(data, key, value, source)
    return build(data, source)


# -- writing ----------------------------------------------------------------------------------
def to_toml_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a TOML-ready dict (chains as tables keyed by name; no None values)."""
    d = scenario.model_dump(mode="json", exclude_none=True)
    d["chains"] = {c.pop("name"): c for c in d["chains"]}
    if not d["events"]:
        del d["events"]
    if not d["targets"]:
        del d["targets"]
    return d


def _value(v: Any) -> str:
    """A TOML value on one line (strings with line breaks as multi-line strings)."""
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return tomli_w.dumps({"v": v}, multiline_strings=True).removeprefix("v = ").rstrip("\n")


def _lines(table: dict[str, Any], model: type[BaseModel] | None, comments: bool) -> list[str]:
    """``key = value`` lines of one table, each with its unit and help as a comment."""
    out = []
    for key, v in table.items():
        line = f"{key} = {_value(v)}"
        field = model.model_fields.get(key) if model is not None else None
        if comments and field is not None and field.description and "\n" not in line:
            unit = (field.json_schema_extra or {}).get("unit")
            line += f"  # {field.description}" + (f" [{unit}]" if unit else "")
        out.append(line)
    return out


def render(d: dict[str, Any], header: str = "", comments: bool = True) -> str:
    """TOML text of a scenario dict (as made by :func:`to_toml_dict`), laid out for reading.

    Args:
        d: the scenario dict, or a part of one (as made by :func:`difference`).
        header: a first-line comment.
        comments: add each parameter's help and unit as a trailing comment.
    """
    lines = [f"# {header}"] if header else []
    top = {k: d[k] for k in ("extends", "name", "description") if k in d}
    top.update({k: [] for k in ("events", "targets") if d.get(k) == []})  # drop inherited
    lines += _lines(top, None, False)
    for table in TABLE_ORDER:
        if table == "chains":
            for name, body in d.get("chains", {}).items():
                lines += ["", f"[chains.{name}]", *_lines(body, Chain, comments)]
        elif d.get(table):
            lines += ["", f"[{table}]", *_lines(d[table], SECTIONS[table], comments)]
    for event in d.get("events", []):
        lines += ["", "[[events]]", *_lines(event, EVENT_KINDS.get(event.get("kind")), comments)]
    for target in d.get("targets", []):
        lines += ["", "[[targets]]", *_lines(target, Target, comments)]
    return "\n".join(lines).lstrip("\n") + "\n"


def dumps(scenario: Scenario, comments: bool = True) -> str:
    """The fully resolved scenario as TOML text that loads back unchanged.

    ``extends`` is left out (its content is already merged in) and named in the first line.
    """
    d = to_toml_dict(scenario)
    parent = d.pop("extends", None)
    header = f"{scenario.name}: fully resolved" + (f" (extends {parent})" if parent else "")
    return render(d, header, comments)


def diff(child: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """Keys whose values differ between two TOML-ready dicts (child's values), recursively."""
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


def _added(child: list, parent: list) -> list:
    """Items of ``child`` beyond those in ``parent`` (each parent item matched once)."""
    rest = list(parent)
    out = []
    for item in child:
        if item in rest:
            rest.remove(item)
        else:
            out.append(item)
    return out


def difference(child: Scenario, parent: Scenario) -> dict[str, Any]:
    """What a child file extending ``parent`` must hold to resolve to ``child``.

    Tables hold only changed keys; events and targets only those the parent lacks; ``name``
    and ``extends`` are always given, so the result written out loads back as ``child``.
    """
    c, p = to_toml_dict(child), to_toml_dict(parent)
    events = _added(c.get("events", []), p.get("events", []))
    targets = _added(c.get("targets", []), p.get("targets", []))
    out = diff({k: v for k, v in c.items() if k not in ("events", "targets")},
               {k: v for k, v in p.items() if k not in ("events", "targets")})
    out.pop("extends", None)
    head = {"name": child.name}
    if child.extends:
        head = {"extends": child.extends, **head}
    out = {**head, **out}
    for key, added, child_items, parent_items in (
        ("events", events, c.get("events"), p.get("events")),
        ("targets", targets, c.get("targets"), p.get("targets")),
    ):
        if added:
            out[key] = added
        elif parent_items and not child_items:
            out[key] = []  # the child drops what it inherits
    return out


def parent_scenario(scenario: Scenario, name_or_path: str | Path) -> Scenario:
    """The scenario ``scenario`` extends (schema defaults when it extends nothing).

    Args:
        scenario: a scenario loaded from ``name_or_path``.
        name_or_path: where it was loaded from (its ``extends`` is relative to that file).
    """
    if not scenario.extends:
        return Scenario()
    path = resolve_path(name_or_path)
    return load_scenario(resolve_path(scenario.extends, relative_to=path))


def dumps_diff(scenario: Scenario, name_or_path: str | Path, comments: bool = True) -> str:
    """TOML text of only what ``scenario`` changes in what it extends (a loadable file)."""
    parent = parent_scenario(scenario, name_or_path)
    what = scenario.extends or "the schema defaults"
    return render(difference(scenario, parent), f"{scenario.name}: differences from {what}",
                  comments)
