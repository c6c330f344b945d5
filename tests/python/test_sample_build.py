"""The seed sample, built from scratch, against numbers counted by hand from seeds/samples/*.csv.

The sample (see its description in seeds/samples/_samples__seeds.yml) is small enough to read: six
signed-up users with scripted sessions, a user without a profile, anonymous devices and account
invoices, plus bad rows. The hand counts below were made from the session scripts:
sessions "full purchase" (open, view, view, cart, order, pay) x7, "cart abandon" (open, view, cart)
x7, "browse" (open, view, view, search) x27, "open only" x17, 6 sign-ups and 2 invoices.
A second, independent Python reading of the CSV files re-derives every number.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.python.conftest import ROOT, Build, dbt, varchar_storage

HAND_EVENTS_BY_NAME = {
    "app_open": 7 + 7 + 27 + 17,  # one per session
    "view_item": 2 * 7 + 1 * 7 + 2 * 27,
    "search": 27,
    "add_to_cart": 7 + 7,
    "place_order": 7,
    "pay_order": 7,
    "sign_up": 6,
    "invoice_paid": 2,
}
HAND_QUARANTINE = {
    "missing_event_id": 2,  # '' and '   '
    "missing_entity_id": 2,  # x0001, x0002
    "missing_event_name": 2,  # x0003, x0004
    "missing_event_time": 2,  # x0005, x0006
    "unparseable_event_time": 4,  # 'not a time', Feb 30, a +02:00 offset, e0150's 'garbled' first load
    "future_event_time": 2,  # x0010, x0011 (2099, 2098)
    "invalid_properties": 2,  # x0012, x0013
    "duplicate_event_id": 4,  # e0010 twice, e0100 once, e0020's later-loaded original
}
HAND_USER_QUARANTINE = {
    "missing_user_id": 1,
    "unparseable_signed_up_at": 1,  # u_gina, 'yesterday'
    "invalid_properties": 1,  # u_hank
    "duplicate_user_id": 1,  # u_dave's older version
}
# users with events: alice, bob, carol, dave, erin, frank + ivan (no profile)
HAND_DISTINCT_USERS = 7
HAND_USER_EVENTS = {"u_alice": 47, "u_bob": 34, "u_carol": 29, "u_dave": 24, "u_erin": 28, "u_frank": 1, "u_ivan": 9}

SAMPLES = ROOT / "seeds" / "samples"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|\+00(:?00)?)?$")


def _parse_utc(text: str) -> datetime | None:
    """An independent reading of the timestamp contract, with Python's own calendar."""
    text = text.strip()
    if not _ISO.match(text):
        return None
    for marker in ("Z", "+00:00", "+0000", "+00"):
        if text.endswith(marker):
            text = text[: -len(marker)]
            break
    try:
        return datetime.fromisoformat(text.replace("T", " "))
    except ValueError:
        return None


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _python_quarantine() -> tuple[Counter[str], Counter[str], set[str]]:
    """Reasons per raw row, clean events per name and clean users, computed in plain Python."""
    with (SAMPLES / "sample_events.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    now = datetime.now(UTC).replace(tzinfo=None)
    reasons: list[str | None] = []
    for row in rows:
        at = _parse_utc(row["event_time"])
        if not row["event_id"].strip():
            reason: str | None = "missing_event_id"
        elif not any(row[c].strip() for c in ("user_id", "device_id", "account_id")):
            reason = "missing_entity_id"
        elif not row["event_name"].strip():
            reason = "missing_event_name"
        elif not row["event_time"].strip():
            reason = "missing_event_time"
        elif at is None:
            reason = "unparseable_event_time"
        elif at > now + timedelta(hours=24):
            reason = "future_event_time"
        elif row["properties"] and not _is_json(row["properties"]):
            reason = "invalid_properties"
        else:
            reason = None
        reasons.append(reason)
    seen: set[str] = set()
    order = sorted(
        (i for i, r in enumerate(reasons) if r is None),
        key=lambda i: (rows[i]["loaded_at"] == "", _parse_utc(rows[i]["loaded_at"]) or datetime.max),
    )
    for i in order:
        event_id = rows[i]["event_id"].strip()
        if event_id in seen:
            reasons[i] = "duplicate_event_id"
        seen.add(event_id)
    quarantine = Counter(r for r in reasons if r is not None)
    clean = [row for row, r in zip(rows, reasons, strict=True) if r is None]
    by_name = Counter(row["event_name"] for row in clean)
    users = {row["user_id"].strip() for row in clean if row["user_id"].strip()}
    return quarantine, by_name, users


def test_the_hand_counts_agree_with_an_independent_reading_of_the_csv() -> None:
    quarantine, by_name, users = _python_quarantine()
    assert dict(quarantine) == HAND_QUARANTINE
    assert dict(by_name) == HAND_EVENTS_BY_NAME
    assert len(users) == HAND_DISTINCT_USERS


def test_dbt_build_from_scratch_passes_every_model_and_test(sample_build: Build) -> None:
    assert sample_build.outcome.success, sample_build.outcome.error_lines()
    statuses = sample_build.statuses()
    kinds = Counter(unique_id.split(".")[0] for unique_id in statuses)
    # the data contract's eight, the two daily tables and the user activity, 5 funnels + reports, 4 retentions x 3,
    # 3 segmentations + reports, the segment KPIs, 10 cohorts, the 5 cohort history models (with the run log) and the
    # ID cohort's rejected rows
    assert kinds["model"] == 8 + 3 + 10 + 12 + 6 + 1 + 10 + 5 + 1
    assert kinds["exposure"] == 2
    assert kinds["unit_test"] >= 5
    assert kinds["test"] >= 20
    assert not [node for node, status in statuses.items() if status in ("error", "fail", "skipped")]
    # the quarantine tests warn, one per reason that holds rows (ids_test_users.csv has a blank,
    # a duplicate and an unknown id)
    warned = sorted(node.split(".")[2] for node, status in statuses.items() if status == "warn")
    assert len(warned) == len(HAND_QUARANTINE) + len(HAND_USER_QUARANTINE) + 3


def test_clean_events_per_event_name(sample_build: Build) -> None:
    rows = sample_build.query("select event_name, count(*) from fct_events group by event_name")
    assert dict(rows) == HAND_EVENTS_BY_NAME
    assert sum(HAND_EVENTS_BY_NAME.values()) == 196


def test_distinct_users_and_their_events(sample_build: Build) -> None:
    assert sample_build.query("select count(distinct user_id) from fct_events") == [(HAND_DISTINCT_USERS,)]
    rows = sample_build.query("select user_id, events_count from dim_users")
    assert dict(rows) == HAND_USER_EVENTS


def test_quarantine_counts_per_reason(sample_build: Build) -> None:
    rows = sample_build.query("select quarantine_reason, count(*) from quarantine_events group by 1")
    assert dict(rows) == HAND_QUARANTINE
    rows = sample_build.query("select quarantine_reason, count(*) from quarantine_users group by 1")
    assert dict(rows) == HAND_USER_QUARANTINE


def test_clean_plus_quarantined_equals_raw(sample_build: Build) -> None:
    with (SAMPLES / "sample_events.csv").open(newline="") as handle:
        raw_rows = sum(1 for _ in csv.DictReader(handle))
    clean = sample_build.query("select count(*) from fct_events")[0][0]
    quarantined = sample_build.query("select count(*) from quarantine_events")[0][0]
    assert (raw_rows, clean + quarantined) == (216, 216)


def test_the_first_loaded_copy_of_a_duplicate_is_the_clean_one(sample_build: Build) -> None:
    rows = dict(
        sample_build.query(
            "select event_id, properties from fct_events where event_id in ('e0010', 'e0020', 'e0100', 'e0150')"
        )
    )
    assert "copy" not in json.loads(rows["e0010"])  # the two later loads are the duplicates
    assert "copy" not in json.loads(rows["e0100"])
    assert json.loads(rows["e0020"])["copy"] == "early"  # loaded 3 minutes before its twin, further down the file
    assert sample_build.query("select event_at from fct_events where event_id = 'e0150'") == [
        (datetime(2024, 3, 13, 11, 0),)
    ]


def test_valid_iso_spellings_parse_to_the_same_kind_of_instant(sample_build: Build) -> None:
    rows = dict(
        sample_build.query("select event_id, event_at from fct_events where event_id in ('e0004', 'e0005', 'e0006')")
    )
    assert rows == {
        "e0004": datetime(2024, 3, 2, 8, 2),  # 2024-03-02T08:02:00Z
        "e0005": datetime(2024, 3, 2, 8, 3),  # +00:00
        "e0006": datetime(2024, 3, 2, 8, 4, 0, 250000),  # .250000
    }


def test_parse_utc_timestamp_reads_each_spelling_as_python_does(sample_build: Build) -> None:
    # every valid spelling of the contract and near misses: DuckDB's parse (its own cast, the
    # rewritten text as fallback) must give what the independent Python reading gives (year 0000
    # left out: Python has no year 0)
    days = [
        "2024-03-01",
        "2024-02-29",
        "2023-02-29",
        "2024-02-30",
        "2024-13-01",
        "0001-01-01",
        "9999-12-31",
        "2024-3-01",
    ]
    times = [
        "",
        " 10:00",
        "T23:59",
        " 10:00:05",
        "T10:00:05.5",
        " 10:00:05.123456",
        " 10:00:05.1234567",
        " 24:00",
        " 10:60",
    ]
    markers = ["", "Z", "+00", "+0000", "+00:00", "+01", " Z", "z"]
    texts = [
        f"{pad}{day}{time}{marker}{pad}" for day in days for time in times for marker in markers for pad in ("", " ")
    ]
    values = ", ".join(f"('{text}')" for text in texts)
    inline = (
        f"select raw, {{{{ cohortwise.parse_utc_timestamp('raw') }}}} as parsed from (values {values}) as given(raw)"
    )
    compiled = dbt(sample_build.project, "compile", "--inline", inline)
    assert compiled.success, compiled.error_lines()
    parsed = dict(sample_build.query(compiled.result.results[0].node.compiled_code))
    assert len(parsed) == len(texts)
    expected = {text: _parse_utc(text) for text in texts}
    assert parsed == expected
    assert sum(value is not None for value in expected.values()) > len(texts) // 5  # not a test of nulls


def test_trim_text_is_trim_for_any_character_at_either_end(sample_build: Build) -> None:
    # DuckDB's trim_text skips trim() for text it can tell has nothing to trim: every code point,
    # at the start, at the end, at both ends and alone, must come out exactly as trim() returns it
    wrapped = (
        "select case shape when 0 then c || 'a' when 1 then 'a' || c when 2 then c || 'a b' || c else c end as x"
        " from (select chr(cast(cp as integer)) as c from range(1, 1114112) as codes(cp)"
        " where cp not between 55296 and 57343) as chars, range(4) as shapes(shape)"
        " union all select * from (values (null), (''), (' '), ('  a  '), (chr(9) || 'a' || chr(10))) as edge(x)"
    )
    inline = (
        "select count(*) as texts,"
        " count(*) filter (where {{ cohortwise.trim_text('x') }} is distinct from trim(x)) as differing,"
        " count(*) filter (where {{ cohortwise.trim_text('x') }} <> x) as trimmed"
        f" from ({wrapped}) as given"
    )
    compiled = dbt(sample_build.project, "compile", "--inline", inline)
    assert compiled.success, compiled.error_lines()
    [(texts, differing, trimmed)] = sample_build.query(compiled.result.results[0].node.compiled_code)
    code_points = 0x110000 - 1 - (0xDFFF - 0xD800 + 1)
    assert (texts, differing) == (4 * code_points + 5, 0)
    # the Unicode space separators are trimmed, at the start, the end, both ends, and alone
    separators = sum(unicodedata.category(chr(cp)) == "Zs" for cp in range(1, 0x110000))
    assert separators == 17
    assert trimmed == 4 * separators + 2  # and ' ' and '  a  ' of the edge cases


def test_the_largest_segmentation_tables_store_their_entity_ids_plain(sample_build: Build) -> None:
    """cohortwise_uncompressed_columns on two analyses built by a macro: only entity_id, every segment."""
    with duckdb.connect(str(sample_build.database), read_only=True) as con:
        for table in ("segmentation_engagement", "segmentation_cohort_trend"):
            declared, stored = varchar_storage(con, table)
            assert declared == {"entity_id"}, table
            assert stored["entity_id"] == ["Uncompressed"], table
            assert stored["event_label"] != ["Uncompressed"], table
        assert varchar_storage(con, "segmentation_orders_by_category")[0] == set()


def test_promoted_properties_are_typed(sample_build: Build) -> None:
    rows = {
        row[0]: row[1:]
        for row in sample_build.query(
            "select event_id, cast(amount as double), product_category, platform from fct_events"
            " where event_id in ('e0006', 'e0013', 'e0196', 'e0002')"
        )
    }
    assert rows["e0006"] == (19.9, "shoes", "ios")
    assert rows["e0013"] == (45.0, "books", "ios")  # amount sent as the JSON string "45.0"
    assert rows["e0196"] == (None, None, None)  # amount "n/a" is not a number
    assert rows["e0002"] == (None, None, "ios")  # app_open carries no amount or category
    total = sample_build.query("select cast(sum(amount) as double) from fct_events where event_name = 'pay_order'")
    # pay_order amounts: full-purchase sessions k=0,1,2 of alice, k=0 of bob, erin; k=0,1 of dave
    assert total[0][0] == pytest.approx(19.9 + 45.0 + 120.5 + 19.9 + 19.9 + 45.0 + 19.9)


def test_dim_users_keeps_the_latest_profile_and_users_without_one(sample_build: Build) -> None:
    rows = {
        row[0]: row[1:]
        for row in sample_build.query("select user_id, plan, has_profile, accounts_count from dim_users")
    }
    assert rows["u_dave"] == ("pro", True, 2)  # updated on 2024-03-20; his events use acc_4 and acc_5
    assert rows["u_ivan"] == (None, False, 1)  # events, but no profile
    assert "u_gina" not in rows and "u_hank" not in rows  # quarantined profiles, no events


def test_sample_files_are_where_the_docs_say(sample_build: Build) -> None:
    assert Path(SAMPLES / "sample_users.csv").is_file()


def test_purchase_funnel_on_the_sample(sample_build: Build) -> None:
    """By hand: alice, bob, dave and erin have full-purchase sessions (view, view, cart, order, pay in
    five minutes); carol and ivan only browse; frank never views an item; anonymous views do not
    count. Attempts at step 1 are the users' view_item events: 18 + 12 + 12 + 9 + 10 + 4 = 65; each of
    the 7 full-purchase sessions has 2 views that reach payment, each of the 7 cart-abandon sessions 1
    view that reaches the cart, and sessions are too far apart for a view to reach another session's
    cart within the day: 7 x 2 + 7 = 21 attempts reach step 2, 14 reach steps 3 and 4."""
    rows = sample_build.query(
        "select step_number, entities, attempts, dropped_entities from rpt_funnel_purchase order by step_number"
    )
    assert rows == [(1, 6, 65, 2), (2, 4, 21, 0), (3, 4, 14, 0), (4, 4, 14, 0)]
    reached = dict(sample_build.query("select entity_id, step_reached from funnel_purchase"))
    assert reached == {"u_alice": 4, "u_bob": 4, "u_dave": 4, "u_erin": 4, "u_carol": 1, "u_ivan": 1}
