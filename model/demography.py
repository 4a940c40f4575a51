"""Phase 8 — entry from incubation and exit of failing firms."""

from __future__ import annotations

import numpy as np


def exits(rng: np.random.Generator, net_worth, losses, max_losses: int, hazard) -> np.ndarray:
    """Firms leaving: negative net worth, ``max_losses`` loss quarters in a row, or a random
    exit with probability ``hazard`` (per firm).
    """
    n = net_worth.shape[0]
    return (net_worth < 0) | (losses >= max_losses) | (rng.random(n) < hazard)


def entry_count(rng: np.random.Generator, scale: int, rate: float, incubation: float) -> int:
    """Entrants this quarter ``~ Poisson(rate * N0 * (0.5 + 0.5 * incubation))``.

    ``N0`` is the scenario's starting number of enterprises: the flow of start-ups and of firms
    growing past the size threshold comes from the region's economy and its incubators, not
    from the firms already on the list, so entry cannot compound. Half of it comes from
    institutes' incubators and scales with their capacity (``incubation``); half is firms
    growing past the size threshold on their own. With exits proportional to the number of
    firms, the population tends to ``entry / exit rate``.
    """
    return int(rng.poisson(rate * scale * (0.5 + 0.5 * incubation)))


def pick_parents(rng: np.random.Generator, weight: np.ndarray, k: int) -> np.ndarray:
    """Rows of ``k`` parent firms drawn with probability proportional to ``weight``.

    Entrants are spin-offs and start-ups built on the technology of firms in growing chains:
    the weight is value added times ``1 + 5 g_c`` (chain trend growth).
    """
    cdf = np.cumsum(weight)
    return np.minimum(np.searchsorted(cdf, rng.random(k) * cdf[-1], side="right"), weight.size - 1)


def choose_parks(
    rng: np.random.Generator,
    chains: np.ndarray,
    park_focus: np.ndarray,
    free_land: np.ndarray,
    service: np.ndarray,
) -> np.ndarray:
    """Park of each entrant (-1 = outside parks).

    Weight of park ``p`` for an entrant of chain ``c``: ``(1 + 2 [focus_p = c]) (1 + S_p)``
    over parks with free land. Entrants beyond a park's free land settle outside parks.
    """
    out = np.full(chains.shape[0], -1, dtype=np.int32)
    open_ = free_land > 0
    if chains.size == 0 or not open_.any():
        return out
    u = rng.random(chains.shape[0])
    chain_ids = np.arange(int(chains.max()) + 1)[:, None]
    w = (1.0 + 2.0 * (park_focus[None, :] == chain_ids)) * ((1.0 + service) * open_)
    cdf = np.cumsum(w, axis=1)
    cdf /= cdf[:, -1:]
    out[:] = np.minimum((u[:, None] >= cdf[chains]).sum(axis=1), w.shape[1] - 1)
    order = np.argsort(out, kind="stable")
    parks = out[order]
    inside = parks >= 0
    starts = np.searchsorted(parks, parks)
    rank = np.arange(parks.size) - starts
    over = inside & (rank >= free_land[np.maximum(parks, 0)])
    out[order[over]] = -1
    return out
