"""One redraw per quarter: Mesa's ``force_update`` with the page's listeners batched.

Mesa's run controls end every Step with ``force_update()``, which increments a reactive
counter. Solara fires each listener of that counter in its own batch, so a page whose panels
all read it (every SolaraViz component does) is rendered once per listener: nine full render
passes per Step click on this page, about three quarters of the click's time. Entering the
listeners' render contexts before the increment makes the increment one batch, so the page
renders once, with the same result.

This reads Solara's internals (``Reactive._storage``, its listener sets and their contexts),
which are those of the pinned Solara 1.58; where they are not found Mesa's own function runs.
"""

from __future__ import annotations

import contextlib

import mesa.visualization.solara_viz as solara_viz
from mesa.visualization.utils import force_update as mesa_force_update
from mesa.visualization.utils import update_counter


def _render_contexts() -> list:
    """The distinct render contexts of the counter's listeners (empty if not found)."""
    try:
        store = update_counter._storage
        scope = store._get_scope_key()
        contexts = [c for _, c in store.listeners[scope]] + [c for _, c in store.listeners2[scope]]
        found = {id(c.render_context): c.render_context for c in contexts}
    except (AttributeError, KeyError, TypeError):
        return []
    return [rc for rc in found.values() if rc is not None]


def force_update() -> None:
    """Mesa's ``force_update``, rendering the page once however many panels listen."""
    with contextlib.ExitStack() as batch:
        for rc in _render_contexts():
            batch.enter_context(rc)
        mesa_force_update()


def install() -> None:
    """Make SolaraViz's run controls use :func:`force_update` (idempotent)."""
    solara_viz.force_update = force_update
