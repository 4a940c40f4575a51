"""``run.py scenarios``: the shipped scenario library, each with the question it answers."""

from __future__ import annotations

from chainshift.scenarios.loader import available


def register(sub) -> None:
    """Add the ``scenarios`` command."""
    p = sub.add_parser("scenarios", help="list the shipped scenarios")
    p.set_defaults(func=lambda args: list_scenarios())


def list_scenarios() -> int:
    """Print name and first-line comment of every shipped scenario."""
    items = available()
    width = max(map(len, items), default=0)
    for name, line in items.items():
        print(f"{name:<{width}}  {line}")
    return 0
