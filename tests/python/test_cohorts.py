"""Cohorts (DESIGN.md 3.5): rule trees against a plain Python evaluation, the demo cohorts on the
sample recounted, ID-cohort validation, dynamic result cohorts, membership history, registry, and
compile-time validation. The hand-computed rule cases are dbt unit tests in
integration_tests/models/cohorts/ (run by test_funnels' integration build)."""

from __future__ import annotations

import ast
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from cohortwise.dbt import DbtProject, invoke
from tests.python.cohort_reference import Clock, CohortEvent, evaluate
from tests.python.conftest import ROOT, Build, dbt_project, inline_compile_error
from tests.python.integration import INTEGRATION, RAW_VARS, Event, Project, integration_project, write_raw


def model_tree(path: Path) -> Any:
    """The rule tree a cohort model passes to cohortwise.behavioral_cohort, as Python data."""
    text = path.read_text()
    start = text.index("cohortwise.behavioral_cohort(") + len("cohortwise.behavioral_cohort(")
    end = text.rindex(") }}")
    return ast.literal_eval(text[start:end])


# --- randomized rule trees against the Python evaluation ---------------------------------------------

NOW = datetime(2024, 5, 31, 17, 30)  # 01:30 on June 1 in Shanghai, 05:30 in Auckland: "today" just began
RANDOM_COHORTS = {
    "random_cohort_recent": "Asia/Shanghai",
    "random_cohort_sequence": "America/New_York",
    "random_cohort_spend": "Europe/Berlin",
    "random_cohort_of_cohorts": "Pacific/Auckland",
}


def _boundaries() -> list[datetime]:
    """UTC instants where windows start or end: local midnights of every test zone, now, now - 72 h."""
    instants = [NOW, NOW - timedelta(hours=72), NOW - timedelta(hours=72, seconds=-1)]
    for zone in RANDOM_COHORTS.values():
        tz = ZoneInfo(zone)
        local_today = NOW.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()
        for days in (0, 1, 6, 7, 9, 10, 13, 14, 19, 20, 29, 30):
            midnight = datetime.combine(local_today - timedelta(days=days), datetime.min.time(), tzinfo=tz)
            utc = midnight.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
            instants += [utc, utc - timedelta(seconds=1)]
    return instants


def cohort_events(seed: int, users: int = 300) -> tuple[list[Event], list[tuple[Any, ...]]]:
    rng = random.Random(seed)
    boundaries = _boundaries()
    names = ["a"] * 4 + ["b"] * 3 + ["c"] * 2 + ["pay"] * 2 + ["x"]
    events: list[Event] = []
    profiles: list[tuple[Any, ...]] = []
    serial = 0
    for number in range(users):
        user = f"u{number:04d}"
        times: list[datetime] = []
        for _ in range(rng.choice([0, 1, 3, 8, 15, 30])):
            draw = rng.random()
            if draw < 0.2:
                at = rng.choice(boundaries)
            elif times and draw < 0.35:
                at = rng.choice(times) + timedelta(seconds=rng.choice([0, 1800, 1801, 3600, 3601]))
            else:
                at = NOW - timedelta(minutes=rng.randrange(-18 * 60, 40 * 24 * 60))
            times.append(at)
            name = rng.choice(names)
            props: dict[str, str | None] = {"product_category": rng.choice(["shoes", "books", "games", None])}
            if name == "pay":
                props["amount"] = f"{rng.randrange(500, 8000) / 100:.2f}"
            serial += 1
            events.append(Event(user, f"e{serial:06d}", at, name, props))
        if rng.random() < 0.9:
            signed = NOW - timedelta(days=rng.randrange(-3, 60), minutes=rng.randrange(0, 1440))
            country = rng.choice(["DE", "US", "FR", None])
            profiles.append((user, signed.strftime("%Y-%m-%d %H:%M:%S"), country))
    return events, profiles


@pytest.fixture(scope="module")
def random_cohorts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, list[Event], list[tuple[Any, ...]]]:
    project = integration_project(tmp_path_factory.mktemp("random_cohorts"))
    events, profiles = cohort_events(seed=531)
    write_raw(project.database, events)
    with duckdb.connect(str(project.database)) as con:
        con.executemany(
            "insert into raw.users values (?, ?, ?, ?, 'web', 'free', null)",
            [(user, signed, signed, country) for user, signed, country in profiles],
        )
    vars = {"run_random_funnels": True, "cohortwise__as_of": NOW.strftime("%Y-%m-%d %H:%M:%S"), **RAW_VARS}
    models = [f"+{name}" for name in RANDOM_COHORTS] + ["+random_cohort_dropped"]
    built = project.dbt("run", "--select", *models, vars=vars)
    assert built.success, built.error_lines()
    return project, events, profiles


def _reference_inputs(
    events: list[Event], profiles: list[tuple[Any, ...]]
) -> tuple[list[CohortEvent], set[str], dict[str, dict[str, Any]]]:
    clean = [CohortEvent(e.entity, e.event_id, e.at, e.name, e.props) for e in events]
    first_seen: dict[str, datetime] = {}
    for event in clean:
        first_seen[event.entity] = min(first_seen.get(event.entity, event.at), event.at)
    users: dict[str, dict[str, Any]] = {user: {} for user in first_seen}
    for user, signed, country in profiles:
        users[user] = {"country": country, "signed_up_at": datetime.fromisoformat(signed)}
    universe = {
        user
        for user, attributes in users.items()
        if (attributes.get("signed_up_at") is not None and attributes["signed_up_at"] <= NOW)
        or (user in first_seen and first_seen[user] <= NOW)
        or (attributes.get("signed_up_at") is None and user not in first_seen)
    }
    return clean, universe, users


def test_random_rule_trees_match_a_python_evaluation(
    random_cohorts: tuple[Project, list[Event], list[tuple[Any, ...]]],
) -> None:
    project, events, profiles = random_cohorts
    clean, universe, users = _reference_inputs(events, profiles)
    cohorts: dict[str, set[str]] = {}
    for name, zone in RANDOM_COHORTS.items():  # in dependency order: the last refers to the others
        tree = model_tree(INTEGRATION / "models" / "random" / f"{name}.sql")
        expected = evaluate(tree, clean, universe, Clock(NOW, ZoneInfo(zone)), users, cohorts)
        rows = project.query(f"select entity_id, computed_at from main.{name}")
        actual = {row[0] for row in rows}
        assert actual == expected, (name, sorted(actual - expected), sorted(expected - actual))
        assert {row[1] for row in rows} <= {NOW}
        assert 5 < len(expected) < len(universe) - 5, (name, len(expected))  # the test can tell
        cohorts[name] = expected


def test_a_dynamic_result_cohort_is_its_drilldown(
    random_cohorts: tuple[Project, list[Event], list[tuple[Any, ...]]],
) -> None:
    project, _, _ = random_cohorts
    members = {row[0] for row in project.query("select entity_id from main.random_cohort_dropped")}
    dropped = {
        row[0] for row in project.query("select entity_id from main.random_cohort_funnel where step_reached = 2")
    }
    assert members == dropped and len(members) > 5


# --- the demo cohorts on the sample --------------------------------------------------------------------

AS_OF = datetime(2024, 3, 20, 12, 0)
LATER = datetime(2024, 3, 27, 12, 0)
COHORT_MODELS = [
    "cohort_active_users",
    "cohort_cart_not_ordered",
    "cohort_churned_users",
    "cohort_high_value_users",
    "cohort_march_cart_buyers",
    "cohort_mid_value_users",
    "cohort_new_users",
    "cohort_paying_users",
    "cohort_silent_users",
    "cohort_test_users",
]


@pytest.fixture(scope="module")
def cohort_sample(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A copy of the sample build, its cohorts recomputed as of AS_OF."""
    tmp = tmp_path_factory.mktemp("cohort_sample")
    database = tmp / "cohorts.duckdb"
    shutil.copy(sample_build.database, database)
    project = dbt_project(tmp, database)
    vars = {**sample_build.vars, "cohortwise__as_of": AS_OF.strftime("%Y-%m-%d %H:%M:%S")}
    built = invoke(
        project, ["build", "--select", "cohorts", "cohort_history", "quarantine_cohort_test_users"], vars=vars
    )
    assert built.success, built.error_lines()
    return Build(database, project, built, vars)


def _sample_inputs(build: Build) -> tuple[list[CohortEvent], set[str], dict[str, dict[str, Any]]]:
    events = [
        CohortEvent(user, event_id, at, name, {"amount": float(amount) if amount is not None else None})
        for user, event_id, at, name, amount in build.query(
            "select user_id, event_id, event_at, event_name, amount from fct_events where user_id is not null"
        )
    ]
    users = {
        user: {"signed_up_at": signed, "first_seen_at": first}
        for user, signed, first in build.query("select user_id, signed_up_at, first_seen_at from dim_users")
    }
    universe = {
        user
        for user, u in users.items()
        if (u["signed_up_at"] and u["signed_up_at"] <= AS_OF)
        or (u["first_seen_at"] and u["first_seen_at"] <= AS_OF)
        or (u["signed_up_at"] is None and u["first_seen_at"] is None)
    }
    return events, universe, users


@pytest.mark.parametrize(
    ("model", "zone"),
    [
        ("cohort_new_users", "Asia/Shanghai"),
        ("cohort_active_users", "America/New_York"),
        ("cohort_silent_users", "UTC"),
        ("cohort_churned_users", "UTC"),
        ("cohort_high_value_users", "UTC"),
        ("cohort_mid_value_users", "UTC"),
        ("cohort_march_cart_buyers", "Europe/Berlin"),
    ],
)
def test_the_demo_behavioral_cohorts_match_a_python_evaluation(cohort_sample: Build, model: str, zone: str) -> None:
    events, universe, users = _sample_inputs(cohort_sample)
    tree = model_tree(ROOT / "models" / "cohorts" / f"{model}.sql")
    expected = evaluate(tree, events, universe, Clock(AS_OF, ZoneInfo(zone)), users)
    actual = {row[0] for row in cohort_sample.query(f"select entity_id from {model}")}
    assert actual == expected


def test_the_sample_cohorts_are_what_a_reader_of_the_sample_expects(cohort_sample: Build) -> None:
    """Read off seeds/samples/sample_events.csv by hand, as of 2024-03-20 12:00 UTC."""

    def members(model: str) -> set[str]:
        return {row[0] for row in cohort_sample.query(f"select entity_id from {model}")}

    # pay_order rows: e0007/e0013/e0019 (alice), e0054 (bob), e0125/e0131 (dave), e0149 (erin)
    assert members("cohort_paying_users") == {"u_alice", "u_bob", "u_dave", "u_erin"}
    # the 7 days before, in New York days, start 2024-03-14 00:00 EDT = 04:00 UTC; u_dave's last
    # event (08:03 UTC that day) is inside; everyone had an event since
    assert members("cohort_active_users") == {"u_alice", "u_bob", "u_carol", "u_dave", "u_erin", "u_frank", "u_ivan"}
    # u_frank's first event is his sign-up on 2024-03-15; everyone else started before 03-14
    assert members("cohort_new_users") == {"u_frank"}
    assert members("cohort_silent_users") == set()  # all active in the last 7 days
    assert members("cohort_high_value_users") == members("cohort_mid_value_users") == set()  # u_alice paid 185.40
    # cart then pay within a day in March: alice, bob, dave, erin; of them alice (185.40) and dave
    # (64.90) spent 40+, bob arrived on 03-02; erin (19.90, arrived 03-10) is out
    assert members("cohort_march_cart_buyers") == {"u_alice", "u_bob", "u_dave"}


def test_an_id_cohort_accepts_and_rejects_every_row_once(cohort_sample: Build) -> None:
    accepted = cohort_sample.query("select entity_id, note from cohort_test_users")
    rejected = cohort_sample.query(
        "select id_as_given, note, rejection_reason from quarantine_cohort_test_users order by note"
    )
    assert accepted == [("u_alice", "staff account")]
    assert rejected == [
        ("u0000001", "QA phone", "unknown_id"),
        ("u0000001", "QA phone again", "duplicate_id"),
        ("u0000002", "QA tablet", "unknown_id"),
        ("u_nobody", "left the company", "unknown_id"),
        (None, "row without id", "blank_id"),
        (" u_alice ", "staff account (second copy)", "duplicate_id"),
    ]
    file_rows = len((ROOT / "seeds" / "cohort_ids" / "ids_test_users.csv").read_text().splitlines()) - 1
    assert len(accepted) + len(rejected) == file_rows
    # excluded from the analyses that say so: u_alice opened the app on iOS, u_bob on Android
    counted = dict(
        cohort_sample.query("select entity_id, count(*) from retention_weekly_by_platform group by entity_id")
    )
    assert "u_alice" not in counted and counted.get("u_bob", 0) > 0


def _computations(build: Build, as_of: datetime) -> dict[str, int]:
    return dict(build.query("select cohort_name, members from cohort_computations where computed_at = ?", [as_of]))


def test_history_is_idempotent_and_tracks_joiners_and_leavers(cohort_sample: Build) -> None:
    first = _computations(cohort_sample, AS_OF)
    assert sorted(first) == COHORT_MODELS
    history_rows = cohort_sample.query("select count(*) from cohort_membership_history")[0][0]

    # the same computation again adds nothing
    rerun = invoke(cohort_sample.project, ["run", "--select", "cohorts"], vars=cohort_sample.vars)
    assert rerun.success, rerun.error_lines()
    assert cohort_sample.query("select count(*) from cohort_membership_history")[0][0] == history_rows
    assert _computations(cohort_sample, AS_OF) == first

    # a --full-refresh rebuilds the cohorts but never empties the history
    refreshed = invoke(
        cohort_sample.project, ["run", "--select", "cohort_history", "--full-refresh"], vars=cohort_sample.vars
    )
    assert refreshed.success, refreshed.error_lines()
    assert cohort_sample.query("select count(*) from cohort_membership_history")[0][0] == history_rows

    # a week later: a new computation, and the daily sizes compare it with the first
    later_vars = {**cohort_sample.vars, "cohortwise__as_of": LATER.strftime("%Y-%m-%d %H:%M:%S")}
    later = invoke(cohort_sample.project, ["run", "--select", "cohorts"], vars=later_vars)
    assert later.success, later.error_lines()
    second = _computations(cohort_sample, LATER)
    for cohort in COHORT_MODELS:
        before = {
            row[0]
            for row in cohort_sample.query(
                "select entity_id from cohort_membership_history where cohort_name = ? and computed_at = ?",
                [cohort, AS_OF],
            )
        }
        after = {row[0] for row in cohort_sample.query(f"select entity_id from {cohort}")}
        assert second[cohort] == len(after) and first[cohort] == len(before)
        trend = cohort_sample.query(
            "select members, previous_members, joiners, leavers from cohort_sizes_daily"
            " where cohort_name = ? and computed_at = ?",
            [cohort, LATER],
        )
        assert trend == [(len(after), len(before), len(after - before), len(before - after))], cohort
    # from 2024-03-21 00:00 to 03-27 12:00 only u_bob, u_erin, u_carol (03-22) and u_alice (03-22,
    # 03-24) had events: the other three went silent
    silent = {row[0] for row in cohort_sample.query("select entity_id from cohort_silent_users")}
    assert silent == {"u_dave", "u_frank", "u_ivan"}
    assert cohort_sample.query(
        "select joiners, leavers from cohort_sizes_daily where cohort_name = 'cohort_silent_users' and computed_at = ?",
        [LATER],
    ) == [(3, 0)]


def test_the_registry_lists_every_cohort_with_its_settings(cohort_sample: Build) -> None:
    rows = cohort_sample.query(
        "select cohort_name, cohort_type, entity_type, timezone, refresh_schedule, refresh_at, refresh_weekday, owner,"
        " result_mode, last_computed_at, members from cohort_registry order by cohort_name"
    )
    assert [row[0] for row in rows] == COHORT_MODELS
    by_name = {row[0]: row for row in rows}
    assert by_name["cohort_new_users"][1:8] == (
        "behavioral",
        "user_id",
        "Asia/Shanghai",
        "daily",
        "02:00",
        None,
        "growth-team",
    )
    assert by_name["cohort_churned_users"][4:7] == ("weekly", "03:00", "monday")
    assert by_name["cohort_cart_not_ordered"][1] == "result" and by_name["cohort_cart_not_ordered"][8] == "dynamic"
    assert by_name["cohort_test_users"][1:5] == ("id", "user_id", "UTC", "manual")
    for name, row in by_name.items():  # the last computation recorded, which is what the table holds
        latest = cohort_sample.query(
            "select computed_at, members from cohort_computations where cohort_name = ?"
            " order by recorded_at desc, computed_at desc limit 1",
            [name],
        )
        assert [(row[9], row[10])] == latest, name
        assert row[10] == cohort_sample.query(f"select count(*) from {name}")[0][0], name


# --- definitions that fail at compile time -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("{'all': []}", "argument 'rules.all': must be a non-empty list of rules"),
        (
            "{'any': [{'did': 'a'}, {'did': 'a', 'window': {'last_weeks': 2}}]}",
            "argument 'rules.any[1].window': must be 'today'",
        ),
        (
            "{'all': [{'any': [{'did': 'a', 'count': {'op': '=>', 'value': 2}}]}]}",
            "argument 'rules.all[0].any[0].count.op': must be =, !=",
        ),
        (
            "{'did': 'a', 'count': {'op': '>', 'value': -1}}",
            "argument 'rules.count.value': must be a whole number >= 0",
        ),
        ("{'did': 'a', 'did_not': 'b'}", "argument 'rules': must have exactly one of"),
        ("{'did': 'a', 'since': '2024-01-01'}", "argument 'rules': unknown key 'since' for a 'did' rule"),
        (
            "{'aggregate': 'median', 'property': 'amount', 'op': '>', 'value': 1}",
            "argument 'rules.aggregate': must be sum, avg",
        ),
        (
            "{'aggregate': 'sum', 'property': 'amount', 'op': '>', 'value': 'ten'}",
            "argument 'rules.value': must be a number",
        ),
        (
            "{'aggregate': 'sum', 'property': 'amount', 'op': 'between', 'value': [1]}",
            "argument 'rules.value': operator 'between' needs [low, high]",
        ),
        ("{'sequence': ['a'], 'within': '1 day'}", "argument 'rules.sequence': must list two events"),
        ("{'sequence': ['a', 'b']}", "argument 'rules.within': is required"),
        (
            "{'not_sequence': ['a', 'b'], 'within': '1 fortnight'}",
            "argument 'rules.within': must be a number of seconds",
        ),
        ("{'stopped': 'a', 'earlier': {'last_days': 30}}", "argument 'rules.recent': is required"),
        (
            "{'did': 'a', 'window': {'between': ['2024-02-01', '2024-01-01']}}",
            "argument 'rules.window.between': the first day must not be after",
        ),
        ("{'did': 'a', 'window': {'since': '2024-13-01'}}", "argument 'rules.window.since': must be a date"),
        (
            "{'attribute': 'shoe_size', 'op': '=', 'value': 42}",
            "argument 'rules.attribute': unknown user attribute 'shoe_size'",
        ),
        ("{'attribute': 'country', 'op': 'like', 'value': 'D%'}", "argument 'rules.op': unknown operator 'like'"),
        ("{'in_cohort': 'x; drop table users'}", "argument 'rules.in_cohort': must be the name of a cohort model"),
        (
            "{'did': {'event': 'a', 'where': [{'property': 'p', 'op': 'in', 'value': 'x'}]}}",
            "argument 'rules.did.where[0].value': operator 'in' needs a non-empty list",
        ),
    ],
)
def test_malformed_rules_fail_naming_the_model_and_the_path(
    compile_project: DbtProject, rules: str, message: str
) -> None:
    text = inline_compile_error(compile_project, f"{{{{ cohortwise.behavioral_cohort({rules}) }}}}")
    assert message in text, text
    assert "in model 'inline_query'" in text


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("{'type': 'smart'}", "meta.cohortwise.type must be behavioral, sql, id or result"),
        ("{'type': 'sql', 'entity': 'email'}", "meta.cohortwise.entity must be user_id, device_id or account_id"),
        ("{'type': 'sql', 'timezone': 'Mars/Olympus'}", "meta.cohortwise.timezone must be an IANA time zone name"),
        (
            "{'type': 'sql', 'refresh': {'schedule': 'daily', 'at': '25:00'}}",
            "meta.cohortwise.refresh.at must be a time 'HH:MM'",
        ),
        (
            "{'type': 'sql', 'refresh': {'schedule': 'weekly', 'at': '02:00'}}",
            "meta.cohortwise.refresh.weekday must be a weekday",
        ),
        (
            "{'type': 'sql', 'refresh': {'schedule': 'monthly'}}",
            "meta.cohortwise.refresh.schedule must be daily, hourly, weekly or manual",
        ),
        ("{'type': 'id', 'refresh': {'schedule': 'daily'}}", "an id cohort changes only when it is re-imported"),
        ("{'type': 'result'}", "meta.cohortwise.mode must be static or dynamic"),
        ("{'type': 'result', 'mode': 'static'}", "meta.cohortwise.source must record the drill-down"),
        ("{'type': 'sql', 'owner': ''}", "meta.cohortwise.owner must be a name"),
        ("{'type': 'sql', 'colour': 'red'}", "meta.cohortwise: unknown key 'colour'"),
    ],
)
def test_bad_cohort_settings_fail_naming_the_model(compile_project: DbtProject, settings: str, message: str) -> None:
    node = f"{{'name': 'cohort_x', 'config': {{'meta': {{'cohortwise': {settings}}}}}}}"
    text = inline_compile_error(compile_project, f"{{{{ cohortwise._cohort_settings({node}) }}}}")
    assert message in text, text
    assert "in model 'cohort_x'" in text


def test_a_cohort_without_settings_is_a_compile_error(compile_project: DbtProject) -> None:
    text = inline_compile_error(compile_project, "{{ cohortwise.behavioral_cohort({'did': 'a'}) }}")
    assert "a cohort needs meta.cohortwise" in text, text
