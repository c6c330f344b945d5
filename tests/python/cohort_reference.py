"""A plain Python evaluation of behavioral cohort rule trees, written from DESIGN.md 3.5 and the
macro's documented semantics, independently of the SQL: the oracle of the randomized cohort tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

Rule = Mapping[str, Any]


@dataclass(frozen=True)
class CohortEvent:
    entity: str
    event_id: str
    at: datetime  # naive UTC
    name: str
    props: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Clock:
    now: datetime  # naive UTC
    zone: ZoneInfo

    def local(self, at: datetime) -> datetime:
        return at.replace(tzinfo=UTC).astimezone(self.zone).replace(tzinfo=None)

    def day_start(self, offset: int) -> datetime:
        return datetime.combine(self.local(self.now).date() + timedelta(days=offset), time())

    def in_window(self, at: datetime, window: Any) -> bool:
        if at > self.now:
            return False
        if window is None:
            return True
        local = self.local(at)
        if window == "today":
            return local >= self.day_start(0)
        if window == "yesterday":
            return self.day_start(-1) <= local < self.day_start(0)
        ((kind, value),) = window.items()
        if kind == "last_days":
            return local >= self.day_start(1 - value)
        if kind == "last_hours":
            return at > self.now - timedelta(hours=value)
        if kind == "since":
            return local >= datetime.combine(date.fromisoformat(value), time())
        if kind == "between":
            first, last = (date.fromisoformat(day) for day in value)
            return datetime.combine(first, time()) <= local < datetime.combine(last + timedelta(days=1), time())
        raise ValueError(window)


def _seconds(duration: int | str) -> int:
    """'30 minutes', '1 day', '2 weeks' or a number of seconds."""
    if isinstance(duration, int):
        return duration
    count, unit = duration.split()
    return int(count) * {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}[unit.rstrip("s")]


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is None:
        return op == "is null"
    if op == "is null":
        return False
    if op == "is not null":
        return True
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        "in": lambda a, b: a in b,
        "not in": lambda a, b: a not in b,
        "between": lambda a, b: b[0] <= a <= b[1],
        "contains": lambda a, b: b in a,
    }
    return comparisons[op](left, right)


def _matches(spec: Any, event: CohortEvent) -> bool:
    spec = {"event": spec} if isinstance(spec, str) else spec
    if spec["event"] != "*" and event.name != spec["event"]:
        return False
    return all(
        _compare(event.props.get(c["property"]), c.get("op", "="), c.get("value")) for c in spec.get("where", [])
    )


def evaluate(
    tree: Rule,
    events: Iterable[CohortEvent],
    entities: Iterable[str],
    clock: Clock,
    users: Mapping[str, Mapping[str, Any]] | None = None,
    cohorts: Mapping[str, set[str]] | None = None,
) -> set[str]:
    """The members among `entities`, given their events (any order)."""
    by_entity: dict[str, list[CohortEvent]] = {}
    for event in events:
        by_entity.setdefault(event.entity, []).append(event)
    return {
        entity
        for entity in entities
        if _holds(tree, by_entity.get(entity, []), entity, clock, users or {}, cohorts or {})
    }


def _holds(
    rule: Rule,
    events: list[CohortEvent],
    entity: str,
    clock: Clock,
    users: Mapping[str, Mapping[str, Any]],
    cohorts: Mapping[str, set[str]],
) -> bool:
    if "all" in rule:
        return all(_holds(child, events, entity, clock, users, cohorts) for child in rule["all"])
    if "any" in rule:
        return any(_holds(child, events, entity, clock, users, cohorts) for child in rule["any"])

    def matching(spec: Any, window: Any) -> list[CohortEvent]:
        return [e for e in events if _matches(spec, e) and clock.in_window(e.at, window)]

    if "did" in rule:
        count = rule.get("count", {"op": ">=", "value": 1})
        return _compare(len(matching(rule["did"], rule.get("window"))), count["op"], count["value"])
    if "did_not" in rule:
        return not matching(rule["did_not"], rule.get("window"))
    if "aggregate" in rule:
        values = [e.props.get(rule["property"]) for e in matching(rule.get("event", "*"), rule.get("window"))]
        present = [v for v in values if v is not None]
        function = rule["aggregate"]
        if function == "count_distinct":
            measured: Any = len({str(v) for v in present})
        elif function == "sum":
            measured = sum(float(v) for v in present)
        elif not present:
            return False
        else:
            numbers = [float(v) for v in present]
            measured = {"avg": sum(numbers) / len(numbers), "min": min(numbers), "max": max(numbers)}[function]
        return _compare(measured, rule["op"], rule["value"])
    if "first_time" in rule:
        ever = [e.at for e in events if _matches(rule["first_time"], e) and e.at <= clock.now]
        return bool(ever) and clock.in_window(min(ever), rule.get("window"))
    if "sequence" in rule or "not_sequence" in rule:
        first, then = rule.get("sequence") or rule["not_sequence"]
        within = timedelta(seconds=_seconds(rule["within"]))
        inside = [e for e in events if clock.in_window(e.at, rule.get("window"))]
        found = any(
            a.event_id != b.event_id and a.at <= b.at <= a.at + within
            for a in inside
            if _matches(first, a)
            for b in inside
            if _matches(then, b)
        )
        return found if "sequence" in rule else not found
    if "stopped" in rule:
        return bool(matching(rule["stopped"], rule["earlier"])) and not matching(rule["stopped"], rule["recent"])
    if "attribute" in rule:
        return _compare(users.get(entity, {}).get(rule["attribute"]), rule.get("op", "="), rule.get("value"))
    if "in_cohort" in rule:
        return entity in cohorts[rule["in_cohort"]]
    if "not_in_cohort" in rule:
        return entity not in cohorts[rule["not_in_cohort"]]
    raise ValueError(rule)
