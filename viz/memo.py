"""Results computed once per indicator frame.

The dashboard redraws several panels from the same quarterly frame (one frame per quarter
simulated, see :meth:`viz.workshop.WorkshopModel.indicator_frame`); yearly tables and run
outcomes derived from it are computed once and reused while the frame is current.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

import pandas as pd

SIZE = 16
"""Frames remembered per function (a few browser tabs, run and reference each)."""


def per_frame(fn: Callable[[pd.DataFrame], Any]) -> Callable[[pd.DataFrame], Any]:
    """Cache ``fn(frame)`` by the frame's identity. Frames must not be changed in place.

    The cache holds the frame itself, so its identity cannot be reused by another frame while
    the entry lives.
    """
    cache: OrderedDict[int, tuple[pd.DataFrame, Any]] = OrderedDict()
    lock = threading.Lock()

    @wraps(fn)
    def cached(frame: pd.DataFrame) -> Any:
        with lock:
            hit = cache.get(id(frame))
            if hit is not None and hit[0] is frame:
                cache.move_to_end(id(frame))
                return hit[1]
        value = fn(frame)
        with lock:
            cache[id(frame)] = (frame, value)
            while len(cache) > SIZE:
                cache.popitem(last=False)
        return value

    return cached
