"""Entry point of ``run.py``: builds the parser from the command modules, turns user mistakes
into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from scenarios.loader import ScenarioError

COMMANDS = (
    "run",
    "show",
    "scenarios",
    "sweep",
    "sensitivity",
    "compare",
    "viz",
    "calibrate",
    "validate",
)
"""Command modules, ``cli/<name>_cmd.py``; a missing module is simply not offered."""


class UsageError(Exception):
    """A mistake on the command line; the message is one line."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a mistake in one line (no usage block) and exits 2."""

    def error(self, message: str):  # noqa: D102
        raise UsageError(f"{self.prog}: {message}")


def non_negative_int(text: str) -> int:
    """Argparse type for seeds and counts."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a non-negative integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a non-negative integer")
    return value


def positive_int(text: str) -> int:
    """Argparse type for worker counts and steps."""
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """``--set KEY=VALUE`` (repeatable): parameter overrides by dotted key."""
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter, e.g. --set policy.coupling=1 (repeatable)",
    )


def add_out_option(parser: argparse.ArgumentParser) -> None:
    """``--out DIR``: the parent folder of results folders."""
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        help="parent folder of the results folder (default: results)",
    )


def build_parser() -> Parser:
    """The full parser with every available command."""
    parser = Parser(
        prog="run.py",
        description="chainshift: agent-based simulation of "
        "innovation-driven industrial transition (Chongqing case)",
    )
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"cli.{name}_cmd")
        except ModuleNotFoundError as err:
            if err.name == f"cli.{name}_cmd":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["run", "baseline"]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except (ScenarioError, UsageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
