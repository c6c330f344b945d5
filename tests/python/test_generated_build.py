"""Generated data with bad rows of every reason: the quarantine must match what the generator wrote."""

from __future__ import annotations

from tests.python.conftest import GeneratedBuild


def test_build_on_generated_data_passes(generated_build: GeneratedBuild) -> None:
    assert generated_build.outcome.success, generated_build.outcome.error_lines()
    errors = [node for node, status in generated_build.statuses().items() if status in ("error", "fail", "skipped")]
    assert errors == []


def test_quarantine_holds_exactly_the_bad_rows_the_generator_wrote(generated_build: GeneratedBuild) -> None:
    assert generated_build.report is not None
    expected = {reason: count for reason, count in generated_build.report.bad_rows.items() if count}
    assert len(expected) == 8, "the generator should have written rows of every reason"
    rows = generated_build.query("select quarantine_reason, count(*) from quarantine_events group by 1")
    assert dict(rows) == expected


def test_every_clean_event_arrives_once(generated_build: GeneratedBuild) -> None:
    report = generated_build.report
    assert report is not None
    rows = generated_build.query("select event_name, count(*) from fct_events group by 1")
    assert dict(rows) == report.clean_events_by_name
    raw = generated_build.query("select count(*) from raw.events")[0][0]
    clean = generated_build.query("select count(*) from fct_events")[0][0]
    quarantined = generated_build.query("select count(*) from quarantine_events")[0][0]
    assert (raw, clean) == (report.events_total, report.events_clean)
    assert clean + quarantined == raw


def test_every_user_has_one_profile(generated_build: GeneratedBuild) -> None:
    report = generated_build.report
    assert report is not None
    rows = generated_build.query(
        "select count(*), count(signed_up_at), sum(case when has_profile then 1 else 0 end) from dim_users"
    )
    assert rows == [(report.users, report.users, report.users)]
