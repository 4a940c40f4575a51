"""Entry point of ``run.py``: builds the parser from the command modules, turns user mistakes
into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import math
import signal
import sys
from pathlib import Path

from chainshift.scenarios.loader import ScenarioError

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


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: finished work is kept, then the command ends (exit 143)."""

    signal_name = "SIGTERM"


def _terminate(signum, frame) -> None:
    raise Terminated()


WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                          errno.EFBIG, errno.EIO})
"""Errors of the file system (full, read-only, no permission) that end a command with one line."""


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


def seconds(text: str) -> float:
    """Argparse type for a timeout: a finite number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"'{text}' must be a number of seconds above 0")
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
            module = importlib.import_module(f"chainshift.cli.{name}_cmd")
        except ModuleNotFoundError as err:
            if err.name == f"chainshift.cli.{name}_cmd":
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
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except (ScenarioError, UsageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if err.errno not in WRITE_ERRORS:
            raise
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: cannot write {where}{err.strerror}; no results were kept",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        print("interrupted" + (" (SIGTERM)" if isinstance(err, Terminated) else ""),
              file=sys.stderr)
        return 143 if isinstance(err, Terminated) else 130
    finally:
        signal.signal(signal.SIGTERM, previous)
