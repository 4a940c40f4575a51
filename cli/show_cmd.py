"""``run.py show`` (a scenario resolved, as TOML) and ``run.py scenarios`` (the library)."""

from __future__ import annotations

import argparse

import tomli_w

from scenarios.loader import (
    available,
    diff,
    dumps,
    load_scenario,
    parse_overrides,
    resolved_dict,
    to_toml_dict,
)


def register(sub) -> None:
    """Add the ``show`` command."""
    p = sub.add_parser("show", help="print a scenario fully resolved, as TOML")
    p.add_argument("scenario", help="scenario name or TOML path")
    p.add_argument("--diff", action="store_true", help="only what differs from its parent")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.set_defaults(func=show)


def show(args: argparse.Namespace) -> int:
    """Print the resolved scenario (or its difference from what it extends)."""
    scenario = load_scenario(args.scenario, overrides=parse_overrides(args.set))
    if not args.diff:
        print(dumps(scenario), end="")
        return 0
    raw, _ = resolved_dict(args.scenario)
    parent = raw.get("extends")
    base = load_scenario(parent) if parent else load_scenario.__defaults__ and None
    from scenarios.schema import Scenario

    base_dict = to_toml_dict(base if base is not None else Scenario())
    child = to_toml_dict(scenario)
    child.pop("extends", None)
    base_dict.pop("extends", None)
    print(tomli_w.dumps(diff(child, base_dict)), end="")
    return 0
