"""Lever controls generated from the scenario schema.

Every field of ``[policy]`` that carries a ``capability`` becomes one slider, grouped by the
plan's five capabilities. Labels, units, help text and Chinese terms come from
:func:`scenarios.schema.parameters`; nothing here repeats a lever's name or range.

Slider ranges: a lever whose schema range is wide (a count or an amount whose upper bound is
far beyond today's value, e.g. talent introduction up to 10 million persons a year) gets a
slider up to :data:`SPAN` times its default, which is the span a workshop explores; shares and
small ranges get their whole schema range. Scenario files and ``--set`` still reach the full
schema range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chainshift.scenarios.schema import CAPABILITIES, parameters
from chainshift.viz.i18n import lever_label, unit_label

SPAN = 5.0
"""Slider maximum of a wide-range lever, as a multiple of its default."""

STEPS = 100
"""Slider positions from minimum to maximum (about)."""


@dataclass(frozen=True)
class Lever:
    """One policy lever as the dashboard shows it.

    Attributes:
        name: field name in ``[policy]`` (``coupling``).
        capability: the plan's capability group.
        default: the schema default.
        lo, hi: the slider's range (within the schema's range).
        step: slider increment.
        integer: whether the lever takes whole numbers.
        unit: unit as written in the schema.
        help: the schema's one-line description.
        zh: the schema's Chinese term, if any.
    """

    name: str
    capability: str
    default: float
    lo: float
    hi: float
    step: float
    integer: bool
    unit: str
    help: str
    zh: str | None

    @property
    def key(self) -> str:
        """Dotted scenario key, ``policy.<name>``."""
        return f"policy.{self.name}"

    def label(self, lang: str) -> str:
        """The lever's label in ``lang``."""
        return lever_label(self.name, self.zh, lang)

    def unit_text(self, lang: str) -> str:
        """The unit in ``lang``."""
        return unit_label(self.unit, lang)

    def snap(self, value: float) -> float:
        """``value`` as the lever takes it: rounded for whole-number levers."""
        return float(round(value)) if self.integer else float(value)


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``x`` (x > 0)."""
    power = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return m * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def slider_range(lo: float, hi: float, default: float) -> tuple[float, float]:
    """The slider's (min, max) for a lever with schema range [lo, hi] and this default."""
    top = hi
    if default > 0 and hi > SPAN * default and hi > 1.0:
        top = min(hi, nice_ceiling(SPAN * default))
    return lo, top


def slider_step(lo: float, hi: float, integer: bool) -> float:
    """A round increment giving about :data:`STEPS` positions."""
    raw = (hi - lo) / STEPS
    step = nice_ceiling(raw) if raw > 0 else 1.0
    if integer:
        return max(1.0, float(round(step)))
    return step


def policy_levers() -> list[Lever]:
    """All levers of ``[policy]`` that belong to a capability, in schema order."""
    out = []
    for p in parameters():
        if not p["key"].startswith("policy.") or not p.get("capability"):
            continue
        integer = p["type"] == "int"
        lo, hi = slider_range(float(p["lo"]), float(p["hi"]), float(p["default"]))
        out.append(Lever(
            name=p["name"], capability=p["capability"], default=float(p["default"]),
            lo=lo, hi=hi, step=slider_step(lo, hi, integer), integer=integer,
            unit=p["unit"], help=p["help"], zh=p.get("zh"),
        ))
    return out


def levers_by_capability() -> dict[str, list[Lever]]:
    """Levers grouped by the plan's five capabilities (every capability present, in order)."""
    groups: dict[str, list[Lever]] = {c: [] for c in CAPABILITIES}
    for lever in policy_levers():
        groups[lever.capability].append(lever)
    return groups


def extreme_settings(which: str) -> dict[str, float]:
    """Every lever at its slider minimum (``"lo"``) or maximum (``"hi"``)."""
    return {lv.name: getattr(lv, which) for lv in policy_levers()}
