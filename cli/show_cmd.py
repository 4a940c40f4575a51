"""``run.py show``: a scenario fully resolved as TOML, or only what it changes in its parent."""

from __future__ import annotations

import argparse

from chainshift.cli.main import add_set_option
from chainshift.scenarios.loader import dumps, dumps_diff, load_scenario, parse_overrides


def register(sub) -> None:
    """Add the ``show`` command."""
    p = sub.add_parser(
        "show", help="print a scenario fully resolved, as TOML that loads back unchanged"
    )
    p.add_argument("scenario", help="scenario name or TOML path")
    p.add_argument(
        "--diff", action="store_true", help="only what differs from the scenario it extends"
    )
    add_set_option(p)
    p.add_argument(
        "--no-comments",
        dest="comments",
        action="store_false",
        help="leave out each parameter's help and unit",
    )
    p.set_defaults(func=show)


def show(args: argparse.Namespace) -> int:
    """Print the resolved scenario (or its difference from what it extends)."""
    scenario = load_scenario(args.scenario, overrides=parse_overrides(args.set))
    if args.diff:
        print(dumps_diff(scenario, args.scenario, comments=args.comments), end="")
    else:
        print(dumps(scenario, comments=args.comments), end="")
    return 0
