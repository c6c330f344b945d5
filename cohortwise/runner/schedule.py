"""Refresh schedules of cohorts (meta.cohortwise.refresh), evaluated in each cohort's time zone.

A schedule names instants ("slots"): daily at HH:MM, hourly at :MM, weekly on a weekday at HH:MM,
all as wall-clock times in the cohort's zone; manual has none. A cohort is due when its latest slot
is later than its last computation. A wall-clock time that a DST change skips (02:30 on the
spring-forward night in New York) falls on the first instant after the gap; one that happens
twice (01:30 on the fall-back night) counts once, at its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cohortwise.errors import CohortwiseError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ScheduleError(CohortwiseError):
    """A cohort's refresh settings cannot be read."""


@dataclass(frozen=True)
class Schedule:
    kind: str  # daily | hourly | weekly | manual
    hour: int = 0
    minute: int = 0
    weekday: int | None = None  # 0 = Monday, for weekly

    @staticmethod
    def parse(refresh: Any, where: str) -> Schedule:
        """From meta.cohortwise.refresh ({schedule, at, weekday}); none = manual."""
        if refresh is None:
            return Schedule("manual")
        if not isinstance(refresh, dict):
            raise ScheduleError(f"{where}: refresh must be a mapping like {{schedule: daily, at: '02:00'}}")
        kind = refresh.get("schedule", "manual")
        at = refresh.get("at")
        if kind == "manual":
            return Schedule("manual")
        if kind == "hourly":
            match = re.fullmatch(r":([0-5][0-9])", at or ":00")
            if not match:
                raise ScheduleError(f"{where}: refresh.at of an hourly schedule must be ':MM'; got {at!r}")
            return Schedule("hourly", minute=int(match.group(1)))
        if kind not in ("daily", "weekly"):
            raise ScheduleError(f"{where}: refresh.schedule must be daily, hourly, weekly or manual; got {kind!r}")
        match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", at or "00:00")
        if not match:
            raise ScheduleError(f"{where}: refresh.at must be 'HH:MM'; got {at!r}")
        weekday = None
        if kind == "weekly":
            if refresh.get("weekday") not in WEEKDAYS:
                raise ScheduleError(f"{where}: refresh.weekday must be a weekday name; got {refresh.get('weekday')!r}")
            weekday = WEEKDAYS.index(refresh["weekday"])
        return Schedule(kind, int(match.group(1)), int(match.group(2)), weekday)

    def describe(self) -> str:
        if self.kind == "manual":
            return "manual"
        if self.kind == "hourly":
            return f"hourly at :{self.minute:02d}"
        day = f" on {WEEKDAYS[self.weekday].capitalize()}s" if self.weekday is not None else ""
        return f"{self.kind}{day} at {self.hour:02d}:{self.minute:02d}"

    def last_slot(self, zone: ZoneInfo, now: datetime) -> datetime | None:
        """The latest slot at or before `now` (naive UTC), as naive UTC; None for manual."""
        if self.kind == "manual":
            return None
        local_now = now.replace(tzinfo=UTC).astimezone(zone)
        if self.kind == "hourly":
            slot = _utc(local_now.replace(minute=self.minute, second=0, microsecond=0))
            return slot if slot <= now else slot - timedelta(hours=1)
        day = local_now.date()
        for back in range(0, 9):
            candidate = day - timedelta(days=back)
            if self.weekday is not None and candidate.weekday() != self.weekday:
                continue
            slot = _utc(datetime.combine(candidate, time(self.hour, self.minute), tzinfo=zone))
            if slot <= now:
                return slot
        raise AssertionError("a daily or weekly slot is always found within 8 days")

    def next_slot(self, zone: ZoneInfo, now: datetime) -> datetime | None:
        """The first slot after `now` (naive UTC), as naive UTC; None for manual."""
        if self.kind == "manual":
            return None
        if self.kind == "hourly":
            last = self.last_slot(zone, now)
            assert last is not None
            return last + timedelta(hours=1)
        local_now = now.replace(tzinfo=UTC).astimezone(zone)
        for ahead in range(0, 9):
            candidate = local_now.date() + timedelta(days=ahead)
            if self.weekday is not None and candidate.weekday() != self.weekday:
                continue
            slot = _utc(datetime.combine(candidate, time(self.hour, self.minute), tzinfo=zone))
            if slot > now:
                return slot
        raise AssertionError("a daily or weekly slot is always found within 8 days")


def _utc(local: datetime) -> datetime:
    """A wall-clock time in a zone as a naive UTC instant; a time a DST gap skips moves to the gap's end."""
    wall = local.replace(tzinfo=None)
    instant = local.replace(fold=0).astimezone(UTC)
    if instant.astimezone(local.tzinfo).replace(tzinfo=None) != wall:  # skipped: find the gap's end
        probe = min(instant, local.replace(fold=1).astimezone(UTC))
        while probe.astimezone(local.tzinfo).replace(tzinfo=None) < wall:
            probe += timedelta(minutes=1)
        instant = probe
    return instant.replace(tzinfo=None)


def zone_of(name: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScheduleError(f"{where}: unknown time zone {name!r}") from error
