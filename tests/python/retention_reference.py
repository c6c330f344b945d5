"""A straightforward Python reading of the retention definition (DESIGN.md 3.2), to check the SQL.

Periods come from Python's own calendar and time zones (zoneinfo): for every membership, every
return at or after its start is placed in a period by date arithmetic or by elapsed time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.python.integration import Event

BASE = date(1900, 1, 1)  # a Monday
ROLLING_LENGTH = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=30)}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

Row = tuple[str, date, int, bool, int | None]  # entity, cohort period, period number, retained, last return period


def _local(at: datetime, zone: str) -> datetime:
    return at.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def period_of(at: datetime, unit: str, zone: str, first_day: str) -> date:
    """The first day of the calendar period (in the zone) that contains the UTC instant `at`."""
    day = _local(at, zone).date()
    if unit == "day":
        return day
    if unit == "week":
        back = (day.weekday() - WEEKDAYS.index(first_day)) % 7
        return day - timedelta(days=back)
    return day.replace(day=1)


def periods_between(first: date, later: date, unit: str) -> int:
    if unit == "day":
        return (later - first).days
    if unit == "week":
        return (later - first).days // 7
    return (later.year - first.year) * 12 + later.month - first.month


def retention(
    events: Sequence[Event],
    start: str,
    returns: str,
    unit: str,
    periods: int,
    date_from: date,
    date_to: date,
    recurring: bool = False,
    rolling: bool = False,
    zone: str = "UTC",
    first_day: str = "monday",
) -> set[Row]:
    by_entity: dict[str, list[Event]] = {}
    for event in events:
        by_entity.setdefault(event.entity, []).append(event)
    rows: set[Row] = set()
    for entity, unsorted in by_entity.items():
        ordered = sorted(unsorted, key=lambda e: (e.at, e.event_id))
        starts = [e for e in ordered if start in ("*", e.name)]
        cohorts: dict[date, datetime] = {}  # cohort period -> t0
        for event in starts:
            period = period_of(event.at, unit, zone, first_day)
            if recurring:
                cohorts.setdefault(period, event.at)
            elif not cohorts:
                cohorts[period] = event.at
        return_times = [e.at for e in ordered if returns in ("*", e.name)]
        for cohort, t0 in cohorts.items():
            if not date_from <= cohort < date_to:
                continue
            numbers = set()
            for at in return_times:
                if at < t0:
                    continue
                if rolling:
                    numbers.add(int((at - t0) / ROLLING_LENGTH[unit]))
                else:
                    numbers.add(periods_between(cohort, period_of(at, unit, zone, first_day), unit))
            last = max(numbers) if numbers else None
            rows.add((entity, cohort, 0, 0 in numbers, last))
            rows.update((entity, cohort, p, True, last) for p in numbers if 1 <= p <= periods)
    return rows
