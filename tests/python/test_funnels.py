"""Funnels: the integration project's hand-written unit tests, and random events against a reference.

integration_tests/ installs cohortwise as a package (as users do) and declares test funnels; dbt
unit tests there hold the hand-computed cases. Here the same project also builds funnels over a few
thousand random events, and every entity's result is compared with tests/python/funnel_reference.py.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cohortwise.dbt import DbtProject, invoke
from tests.python.conftest import ROOT, GeneratedBuild, inline_compile_error
from tests.python.funnel_reference import Exclusion, FunnelResult, funnel
from tests.python.integration import RAW_VARS, Event, Project, integration_project, write_raw

START = datetime(2024, 1, 1)
END = datetime(2024, 1, 2)
WINDOW = timedelta(hours=1)
RANDOM_FUNNELS: dict[str, dict[str, Any]] = {
    "random_ordered": {"steps": ["a", "b", "c", "d"]},
    "random_repeat": {"steps": ["a", "b", "a", "c"]},
    "random_strict": {"steps": ["a", "b", "c"], "strict": True},
    "random_exclusion": {"steps": ["a", "b", "c", "d"], "exclusions": [Exclusion(frozenset({"e"}), 2, 4)]},
    "random_exclusion_first": {"steps": ["a", "b", "c", "d"], "exclusions": [Exclusion(frozenset({"e"}), 1, 3)]},
    "random_exclusion_late": {"steps": ["a", "b", "c", "d"], "exclusions": [Exclusion(frozenset({"e"}), 3, 4)]},
    "random_exclusion_repeat": {"steps": ["a", "b", "a", "c"], "exclusions": [Exclusion(frozenset({"e"}), 2, 4)]},
    "random_two_exclusions": {
        "steps": ["a", "b", "c", "d"],
        "exclusions": [Exclusion(frozenset({"e"}), 1, 2), Exclusion(frozenset({"x"}), 3, 4)],
    },
    "random_hold": {"steps": ["a", "b", "c"], "hold": "product_category"},
    "random_hold_exclusion": {
        "steps": ["a", "b", "c"],
        "hold": "product_category",
        "exclusions": [Exclusion(frozenset({"e"}), 2, 3)],
    },
    "random_strict_hold": {"steps": ["a", "b", "c"], "strict": True, "hold": "product_category"},
}


@pytest.fixture(scope="module")
def integration(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    yield integration_project(tmp_path_factory.mktemp("integration"))


def test_hand_written_funnel_cases_pass(integration: Project) -> None:
    seeded = integration.dbt("seed")
    assert seeded.success, seeded.error_lines()
    built = integration.dbt("build", "--exclude", "resource_type:seed")
    statuses = {r.node.unique_id: str(r.status) for r in built.result.results}
    failed = {
        node: status
        for node, status in statuses.items()
        if status not in ("pass", "success", "warn") and not node.startswith("exposure.")  # exposures: no-op
    }
    assert built.success and not failed, (failed, built.error_lines())
    unit_tests = [node for node in statuses if node.startswith("unit_test.cohortwise_integration_tests.")]
    assert len(unit_tests) >= 8


# --- random events against the reference --------------------------------------------------------------


def random_events(seed: int, entities: int = 400) -> list[Event]:
    rng = random.Random(seed)
    names = ["a"] * 4 + ["b"] * 4 + ["c"] * 3 + ["d"] * 2 + ["x"] + ["e"]
    events: list[Event] = []
    used_ids: set[str] = set()
    for number in range(entities):
        entity = f"u{number:04d}"
        # a burst of activity somewhere around the date range, minute resolution, many ties
        centre = START + timedelta(minutes=rng.randrange(-180, 26 * 60))
        times: list[datetime] = []
        for _ in range(rng.randint(1, 24)):
            draw = rng.random()
            if times and draw < 0.25:
                at = rng.choice(times)  # the same timestamp as another event: event_id decides
            elif times and draw < 0.4:
                at = rng.choice(times) + WINDOW  # exactly one window after another event: still inside
            else:
                at = centre + timedelta(minutes=rng.randrange(0, 150))
            times.append(at)
            event_id = f"{rng.getrandbits(32):08x}"
            while event_id in used_ids:
                event_id = f"{rng.getrandbits(32):08x}"
            used_ids.add(event_id)
            category = rng.choice(["shoes", "books", None])
            events.append(Event(entity, event_id, at, rng.choice(names), {"product_category": category}))
    return events


def _sql_results(database: Path, model: str, steps: int) -> dict[str, FunnelResult]:
    columns = ", ".join(
        [f"step_{k}_at" for k in range(1, steps + 1)] + [f"step_{k}_attempts" for k in range(1, steps + 1)]
    )
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            f"select entity_id, step_reached, entered_at, last_entered_at, {columns} from main.{model}"
        ).fetchall()
    return {
        row[0]: FunnelResult(row[1], row[2], tuple(row[4 : 4 + steps]), tuple(int(a) for a in row[4 + steps :]), row[3])
        for row in rows
    }


@pytest.fixture(scope="module")
def random_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Event]]:
    tmp = tmp_path_factory.mktemp("random")
    project = integration_project(tmp)
    events = random_events(seed=20241122)
    write_raw(project.database, events)
    vars = {"run_random_funnels": True, **RAW_VARS}
    built = project.dbt("run", "--select", "+path:models/random", vars=vars)
    assert built.success, built.error_lines()
    return project.database, events


@pytest.mark.parametrize("model", sorted(RANDOM_FUNNELS))
def test_random_events_match_the_reference(random_build: tuple[Path, list[Event]], model: str) -> None:
    database, events = random_build
    spec = RANDOM_FUNNELS[model]
    expected = funnel(
        events,
        spec["steps"],
        WINDOW,
        START,
        END,
        strict=spec.get("strict", False),
        exclusions=spec.get("exclusions", ()),
        hold=spec.get("hold"),
    )
    actual = _sql_results(database, model, len(spec["steps"]))
    assert len(expected) > 100, "the random data should put many entities in the funnel"
    assert {r.step_reached for r in expected.values()} == set(range(1, len(spec["steps"]) + 1))
    assert sum(r.last_entered_at > r.entered_at for r in expected.values()) > 20  # a later attempt than the reported
    differences = {
        entity: (expected.get(entity), actual.get(entity))
        for entity in set(expected) | set(actual)
        if expected.get(entity) != actual.get(entity)
    }
    assert differences == {}, list(differences.items())[:3]


# --- cost: no row blow-up -------------------------------------------------------------------------------


def test_repeated_step_events_do_not_multiply_rows(tmp_path: Path) -> None:
    """One user with 1,000 a and 1,000 b events in an hour: a join of every a to every later b
    would make 500,000 rows; the funnel's operators may hold a few rows per event, no more."""
    project = integration_project(tmp_path)
    events = [
        Event(
            "heavy",
            f"h{index:05d}",
            START + timedelta(seconds=index),
            "a" if index % 2 == 0 else "b",
            {"product_category": None},
        )
        for index in range(2000)
    ]
    write_raw(project.database, events)
    vars = {"run_random_funnels": True, **RAW_VARS}
    built = project.dbt("run", "--select", "+random_ordered", "+random_exclusion", vars=vars)
    assert built.success, built.error_lines()
    target = tmp_path / "target" / "compiled" / "cohortwise_integration_tests" / "models" / "random"
    for model in ("random_ordered", "random_exclusion"):
        profile = tmp_path / f"{model}.json"
        with duckdb.connect(str(project.database)) as con:
            con.execute("pragma enable_profiling = 'json'")
            con.execute(f"pragma profiling_output = '{profile}'")
            rows = con.execute((target / f"{model}.sql").read_text()).fetchall()
            con.execute("pragma disable_profiling")
        assert len(rows) == 1 and rows[0][3] == 2  # entered, reached b (there is no c)
        largest = max(_operator_rows(json.loads(profile.read_text())))
        assert largest >= len(events)  # the profile was read: the scan alone holds every event
        assert largest <= 4 * len(events), f"{model}: an operator produced {largest} rows"


def _operator_rows(node: dict[str, Any]) -> Iterator[int]:
    for child in node.get("operator", []) + node.get("children", []):
        yield int(child.get("intermediate_rows", 0))
        yield from _operator_rows(child)


# --- drill-down -------------------------------------------------------------------------------------


def test_drilldown_returns_the_entities_behind_each_number(tmp_path: Path) -> None:
    from tests.python.conftest import SAMPLE_VARS, dbt_project

    project = dbt_project(tmp_path, tmp_path / "drill.duckdb")
    assert invoke(project, ["seed"], vars=SAMPLE_VARS).success
    built = invoke(project, ["run", "--select", "+funnel_purchase", "+dim_users"], vars=SAMPLE_VARS)
    assert built.success, built.error_lines()

    def drill(drill: str, step: int | None = None) -> set[tuple[str, str | None]]:
        sql = f"{{{{ cohortwise.funnel_drilldown('funnel_purchase', {drill!r}, {step!r}) }}}}".replace("None", "none")
        outcome = invoke(project, ["show", "--inline", sql, "--limit", "-1"], vars=SAMPLE_VARS)
        assert outcome.success, outcome.error_lines()
        table = outcome.result.results[0].agate_table
        return {(row["entity_id"], row["country"]) for row in table.rows}

    # by hand from the sample: alice, bob, dave and erin pay; carol and ivan only ever browse
    assert drill("converted", 4) == {("u_alice", "DE"), ("u_bob", "US"), ("u_dave", "US"), ("u_erin", "GB")}
    assert drill("dropped", 1) == {("u_carol", "FR"), ("u_ivan", None)}
    assert drill("dropoff") == {("u_carol", "FR"), ("u_ivan", None)}
    assert drill("dropped", 2) == set()
    bad = invoke(
        project,
        ["show", "--inline", "{{ cohortwise.funnel_drilldown('funnel_purchase', 'dropped', 4) }}"],
        vars=SAMPLE_VARS,
    )
    assert not bad.success
    assert "argument 'step': must be a step number from 1 to 3 for dropped" in "\n".join(bad.error_lines())


# --- compile-time validation ------------------------------------------------------------------------------

RANGE = "date_range={'from': '2024-01-01', 'to': '2024-02-01'}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (f"steps=['a'], {RANGE}", "argument 'steps': must have 2 to 20 steps; got 1"),
        (f"steps={['s'] * 21}, {RANGE}", "argument 'steps': must have 2 to 20 steps; got 21"),
        (f"steps=['a', 'b'], {RANGE}, window='3 fortnights'", "argument 'window': must be a number of seconds"),
        (
            f"steps=['a', 'b'], {RANGE}, window='367 days'",
            "argument 'window': must be a whole number of seconds from 1",
        ),
        ("steps=['a', 'b'], date_range={'from': '2024-02-01', 'to': '2024-01-01'}", "'from' must be before 'to'"),
        ("steps=['a', 'b'], date_range={'last_days': 0}", "argument 'date_range.last_days'"),
        ("steps=['a', 'b'], date_range={'from': '2024-13-01', 'to': '2024-14-01'}", "argument 'date_range.from'"),
        (
            f"steps=['a', 'b'], {RANGE}, entity='session_id'",
            "argument 'entity': must be user_id, device_id or account_id",
        ),
        (f"steps=['a', 'b'], {RANGE}, mode='loose'", "argument 'mode'"),
        (
            f"steps=['a', {{'event': 'b', 'where': [{{'property': 'x', 'op': 'like', 'value': 1}}]}}], {RANGE}",
            "argument 'steps[1].where[0].op': unknown operator 'like'",
        ),
        (
            f"steps=['a', {{'event': 'b', 'where': [{{'property': 'x', 'op': 'in', 'value': []}}]}}], {RANGE}",
            "argument 'steps[1].where[0].value': operator 'in' needs a non-empty list",
        ),
        (
            f"steps=['a', 'b'], {RANGE}, breakdown={{'user_attribute': 'shoe_size'}}",
            "unknown user attribute 'shoe_size'",
        ),
        (
            f"steps=['a', 'b'], {RANGE}, entity='device_id', breakdown={{'user_attribute': 'country'}}",
            "argument 'breakdown.user_attribute': needs entity user_id",
        ),
        (
            f"steps=['a', 'b'], {RANGE}, exclusions=[{{'event': 'b', 'between': [1, 2]}}]",
            "argument 'exclusions[0].event': 'b' is also step 2",
        ),
        (
            f"steps=['a', 'b', 'c', 'd'], {RANGE}, exclusions=[{{'event': 'e', 'between': [1, 3]}},"
            " {'event': 'x', 'between': [2, 4]}]",
            "argument 'exclusions[1].between': overlaps the exclusion between steps 1 and 3",
        ),
        (
            f"steps=['a', 'b'], {RANGE}, mode='strict', exclusions=[{{'event': 'e'}}]",
            "argument 'exclusions[0]': strict mode allows no other event between steps",
        ),
        (f"steps=['a', 'b'], {RANGE}, timezone='Mars/Olympus'", "argument 'timezone': must be an IANA time zone"),
        (f"steps=['a', 'b'], {RANGE}, cohorts={{'in': ['no such; model']}}", "argument 'cohorts.in': must list model"),
    ],
)
def test_bad_funnel_definitions_fail_at_compile_time(compile_project: DbtProject, arguments: str, message: str) -> None:
    text = inline_compile_error(compile_project, f"{{{{ cohortwise.funnel({arguments}) }}}}")
    assert message in text, text
    assert "in model 'inline_query'" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            f"steps=['a', 'b'], {RANGE}, cohorts={{'not_in': ['cohort_test_users']}}",
            "argument 'cohorts': an incremental funnel cannot filter by cohort",
        ),
        (
            f"steps=['a', 'b'], {RANGE}, breakdown={{'user_attribute': 'country'}}",
            "argument 'breakdown': an incremental funnel cannot break down by a user attribute",
        ),
        (
            "steps=['a', 'b'], date_range={'last_days': 30}",
            "argument 'date_range': an incremental funnel needs a fixed start",
        ),
    ],
)
def test_incremental_funnels_refuse_what_changes_without_events(
    compile_project: DbtProject, arguments: str, message: str
) -> None:
    # cohort members and user attributes change without a new event of the entity, which is all an
    # incremental run looks at, and entries leave a last_days range; the same definitions compile as tables
    incremental = "{{ config(materialized='incremental') }}"
    text = inline_compile_error(compile_project, f"{incremental}{{{{ cohortwise.funnel({arguments}) }}}}")
    assert message in text, text
    assert "in model 'inline_query'" in text
    table = invoke(compile_project, ["compile", "--inline", f"{{{{ cohortwise.funnel({arguments}) }}}}"])
    assert table.success, table.error_lines()


# --- a funnel read from a base funnel -------------------------------------------------------------------

PURCHASE = (
    "steps=['view_item', 'add_to_cart', 'place_order', 'pay_order'], window='1 day',"
    " date_range={'from': '2024-01-01', 'to': '2024-04-01'}"
)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (f"{PURCHASE}, base=3", "argument 'base': must name another funnel model; got 3"),
        (f"{PURCHASE}, base='dim_users'", "argument 'base': model 'dim_users' is not a funnel"),
        (
            "steps=['view_item', 'add_to_cart', 'pay_order'], window='1 day',"
            " date_range={'from': '2024-01-01', 'to': '2024-04-01'}, base='funnel_purchase'",
            "argument 'base': funnel 'funnel_purchase' differs in steps;",
        ),
        (
            "steps=['view_item', 'add_to_cart', 'place_order', 'pay_order'], window='2 days',"
            " date_range={'from': '2024-01-01', 'to': '2024-05-01'}, base='funnel_purchase'",
            "argument 'base': funnel 'funnel_purchase' differs in window_seconds, date_range;",
        ),
        (
            f"{PURCHASE}, breakdown={{'event_property': 'platform'}}, base='funnel_purchase'",
            "argument 'base': funnel 'funnel_purchase' breaks down by nothing, this funnel by event property",
        ),
        (
            f"{PURCHASE}, base='funnel_purchase_by_country'",
            "argument 'base': funnel 'funnel_purchase_by_country' filters by cohort",
        ),
    ],
)
def test_a_base_funnel_must_compute_the_same_rows(compile_project: DbtProject, arguments: str, message: str) -> None:
    text = inline_compile_error(compile_project, f"{{{{ cohortwise.funnel({arguments}) }}}}")
    assert message in text, text
    assert "in model 'inline_query'" in text


def test_a_funnel_read_from_a_base_is_not_incremental(compile_project: DbtProject) -> None:
    incremental = "{{ config(materialized='incremental') }}"
    text = inline_compile_error(
        compile_project, f"{incremental}{{{{ cohortwise.funnel({PURCHASE}, base='funnel_purchase') }}}}"
    )
    assert "argument 'base': a funnel read from a base is a join" in text, text


@pytest.mark.parametrize(
    "slicing",
    [
        "breakdown={'user_attribute': 'country'}, cohorts={'not_in': ['cohort_test_users']}",
        "cohorts={'in': ['cohort_paying_users']}",
        "breakdown={'user_attribute': 'plan'}, cohorts={'not_in': ['cohort_paying_users']}",
    ],
)
def test_a_funnel_read_from_its_base_equals_its_own_computation(
    generated_build: GeneratedBuild, tmp_path: Path, slicing: str
) -> None:
    """On the generated data: the same definition computed from the events and read from
    funnel_purchase (filtered by cohort, joined to dim_users) gives the same rows."""
    project = DbtProject(ROOT, generated_build.project.profiles_dir, "duckdb", tmp_path / "target")

    def compiled(arguments: str) -> str:
        outcome = invoke(
            project, ["compile", "--inline", f"{{{{ cohortwise.funnel({arguments}) }}}}"], vars=generated_build.vars
        )
        assert outcome.success, outcome.error_lines()
        return str(outcome.result.results[0].node.compiled_code)

    direct = compiled(f"{PURCHASE}, {slicing}")
    derived = compiled(f"{PURCHASE}, {slicing}, base='funnel_purchase'")
    assert "funnel_purchase" in derived and "fct_events" not in derived
    assert "fct_events" in direct
    [(base_rows,)] = generated_build.query("select count(*) from funnel_purchase")
    [rows] = generated_build.query(f"select count(*), count(distinct breakdown_value) from ({direct})")
    [(missing,)] = generated_build.query(f"select count(*) from (({direct}) except all ({derived}))")
    [(extra,)] = generated_build.query(f"select count(*) from (({derived}) except all ({direct}))")
    assert 0 < rows[0] <= base_rows
    if "cohort_paying_users" in slicing:
        assert rows[0] < base_rows, "the cohort filter should keep some entities and not others"
    if "user_attribute" in slicing:
        assert rows[1] > 1, "the breakdown should give several values"
    assert (missing, extra) == (0, 0)
