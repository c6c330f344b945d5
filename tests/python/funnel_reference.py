"""A straightforward Python reading of the funnel definition (DESIGN.md 3.1), to check the SQL against.

It searches chains directly (depth first, in event order, memoized), with none of the SQL's
pointer tricks: for each entry it finds the longest valid chain and, among those, the one with the
earliest events; the entity keeps the best entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.python.integration import Event


@dataclass(frozen=True)
class Exclusion:
    names: frozenset[str]
    first: int  # 1-based steps
    last: int


@dataclass(frozen=True)
class FunnelResult:
    step_reached: int
    entered_at: datetime
    step_at: tuple[datetime | None, ...]
    attempts: tuple[int, ...]  # entries whose furthest step is >= k, for k = 1..n
    last_entered_at: datetime  # the latest entry


def _best_chain(
    events: Sequence[Event],
    entry: int,
    steps: Sequence[str],
    window: timedelta,
    strict: bool,
    exclusions: Sequence[Exclusion],
    hold: str | None,
) -> tuple[int, ...]:
    """The longest valid chain entering at `entry`; among those, the one with the earliest events."""
    n = len(steps)
    start = events[entry]
    held = start.props.get(hold) if hold else None
    memo: dict[tuple[object, ...], tuple[int, ...]] = {}

    def extend(chain: tuple[int, ...]) -> tuple[int, ...]:
        k = len(chain)  # steps matched so far
        if k == n:
            return chain
        # what the rest depends on: the step, the last event, the first event of every open range
        key = (k, chain[-1], tuple(chain[x.first - 1] for x in exclusions if x.first <= k < x.last))
        if key in memo:
            return chain + memo[key]
        best = chain
        candidates = [chain[-1] + 1] if strict else range(chain[-1] + 1, len(events))
        for q in candidates:
            if q >= len(events) or events[q].at - start.at > window:
                break
            event = events[q]
            if event.name != steps[k] or (hold and event.props.get(hold) != held):
                continue
            crossed = any(
                x.last == k + 1 and any(events[t].name in x.names for t in range(chain[x.first - 1] + 1, q))
                for x in exclusions
            )
            if crossed:
                continue
            candidate = extend((*chain, q))
            if len(candidate) > len(best):  # ties keep the earlier q: the earliest events win
                best = candidate
                if len(best) == n:
                    break
        memo[key] = best[k:]
        return best

    return extend((entry,))


def funnel(
    events: Sequence[Event],
    steps: Sequence[str],
    window: timedelta,
    date_from: datetime,
    date_to: datetime,
    strict: bool = False,
    exclusions: Sequence[Exclusion] = (),
    hold: str | None = None,
) -> dict[str, FunnelResult]:
    by_entity: dict[str, list[Event]] = {}
    for event in events:
        by_entity.setdefault(event.entity, []).append(event)
    results = {}
    n = len(steps)
    for entity, unsorted in by_entity.items():
        ordered = sorted(unsorted, key=lambda e: (e.at, e.event_id))
        entries = [
            i
            for i, e in enumerate(ordered)
            if e.name == steps[0] and date_from <= e.at < date_to and (not hold or e.props.get(hold) is not None)
        ]
        if not entries:
            continue
        chains = [_best_chain(ordered, i, steps, window, strict, exclusions, hold) for i in entries]
        best = max(chains, key=len)  # the first (earliest entry) among the longest
        attempts = tuple(sum(1 for chain in chains if len(chain) >= k) for k in range(1, n + 1))
        times = tuple(ordered[p].at for p in best) + (None,) * (n - len(best))
        results[entity] = FunnelResult(len(best), ordered[best[0]].at, times, attempts, ordered[entries[-1]].at)
    return results
