{#-
    cohortwise.retention: who comes back after a start event, per cohort period (DESIGN.md 3.2).

        {{ cohortwise.retention(
            start_event='sign_up',
            return_event='*',
            period='week',
            periods=8,
            date_range={'from': '2024-01-01', 'to': '2024-04-01'},
        ) }}

    Semantics. cohort_mode first_time: an entity's cohort is the period of its first start event
    ever (looked up before the date range too); recurring: it joins the cohort of every period in
    which it did the start event, starting at its first start event there. The date range selects
    cohort periods (by their first day). Period p of a cohort is, with calendar boundaries, the p-th
    calendar period (day, week from first_day_of_week, month) after the cohort's in the reporting
    time zone; with rolling boundaries [t0 + p*len, t0 + (p+1)*len) from the start event's instant
    t0 (len: 1, 7 or 30 days). Criterion on: the entity returned (did the return event) in period p;
    on_or_after: in p or any later period. Period 0 only counts a return at or after t0; when the
    return event is the start event, the start event itself is that return.

    Output: one row per membership (entity and cohort period) at period 0, saying whether it
    returned there (is_retained), and one row per later period 1..periods in which it returned.
    Every row carries cohort_started_at (t0) and last_return_period (the period of its last return
    at or after t0, not capped at `periods`; null without one), so that on_or_after cells are a
    plain filter too. cohortwise.retention_report and retention_curve read this table.

    How it runs, and what it costs. Memberships are one row per entity (first_time) or per entity
    and active period (recurring). Calendar: return events are reduced to one row per entity and
    period (with the period's last return time), then joined to memberships only within the
    `periods + 1` periods that follow each cohort, so each return period meets at most
    `periods + 1` memberships. Rolling: return events are joined to the memberships whose t0 lies
    within (periods + 1) * len before them. Cost: O(E + R x (periods + 1)) for E events and R
    distinct return periods (calendar) or return events (rolling); never every start event with
    every return event without bound.
-#}
{% macro retention(
    start_event,
    return_event,
    date_range,
    period='day',
    periods=30,
    cohort_mode='first_time',
    criterion='on',
    boundaries='calendar',
    first_day_of_week='monday',
    entity='user_id',
    breakdown=none,
    cohorts=none,
    timezone=none
) -%}
    {%- set definition = cohortwise._retention_definition(
        start_event, return_event, date_range, period, periods, cohort_mode, criterion, boundaries,
        first_day_of_week, entity, breakdown, cohorts, timezone) -%}
    {{ config(meta={'cohortwise': {'analysis': 'retention', 'retention': definition.public}}) }}
    {#- used only when the model is materialized incremental (see _retention_incremental) -#}
    {{ config(incremental_strategy='delete+insert', unique_key='entity_id', on_schema_change='fail') }}
    {{ config(post_hook='delete from {{ this }} where cohort_started_at is null') }}
    {{ cohortwise.table_grants('detail') }}
    {{ return(cohortwise._retention_sql(definition, cohortwise._retention_incremental(definition.public))) }}
{%- endmacro %}


{#-
    An incremental retention (`{{ config(materialized='incremental') }}` in the model file)
    recomputes, on each run, only the entities whose rows can have changed: every entity with a
    start or return event from `first_day` on, where `first_day` is the newest cohort start day
    already in the table minus `cohortwise__lookback_days` (the days the event-level models
    recompute), and every entity whose rows reach back into those days (the period after its last
    return ends the day before `first_day` or later), so that an event deleted from the raw days
    recomputed is followed too. An entity's rows depend on its own events only, so each one
    recomputed from all of its events gets exactly the rows of a full rebuild, and every other
    entity's events, and so its rows, are unchanged. The rows are replaced by entity
    (delete+insert); a recomputed entity left without a cohort is written as one row without one,
    which the post-hook (on every materialization; a no-op on a table) deletes.

    Not incremental, a compile error: a cohort filter or a user-attribute breakdown (members and
    attributes change without any new event), and a `last_days` date range (cohorts leave it as days
    pass), and BigQuery, whose dbt adapter replaces rows only by merge, one row per key (an entity has
    a row per period; the demo's models are tables there). A change of the definition needs a
    `--full-refresh`.

    Returns none on a full build, else {'first_day': SQL date, null when the table is empty}.
-#}
{% macro _retention_incremental(d) -%}
    {%- if config.get('materialized') != 'incremental' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ cohortwise._refuse_incremental_by_entity(d, 'retention', 'cohorts') }}
    {%- if target.type == 'bigquery' -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ 'an incremental retention cannot run on'
            ~ " BigQuery: its dbt adapter replaces rows only by merge, one row per key, and an entity has a row"
            ~ " per period; materialize it as a table there ({{ config(materialized='table' if target.type =="
            ~ " 'bigquery' else 'incremental') }})") }}
    {%- endif -%}
    {%- if not cohortwise.is_incremental_run() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'first_day': cohortwise._incremental_first_day(this, 'cast(cohort_started_at as date)')}) }}
{%- endmacro %}


{% macro _retention_definition(start_event, return_event, date_range, period, periods, cohort_mode, criterion, boundaries, first_day_of_week, entity, breakdown, cohorts, timezone) -%}
    {%- set start_spec = cohortwise._event_spec(start_event, 'start_event') -%}
    {%- set return_spec = cohortwise._event_spec(return_event, 'return_event') -%}
    {%- set limits = {'day': 90, 'week': 52, 'month': 24} -%}
    {%- if period not in limits -%}
        {{ cohortwise._argument_error('period', "must be day, week or month; got " ~ (period | string)) }}
    {%- endif -%}
    {%- if periods is not number or periods is sameas true or periods != (periods | int) or periods < 1 or periods > limits[period] -%}
        {{ cohortwise._argument_error('periods', 'must be a whole number from 1 to ' ~ limits[period] ~ ' for ' ~ period
            ~ ' periods; got ' ~ (periods | string)) }}
    {%- endif -%}
    {%- if cohort_mode not in ('first_time', 'recurring') -%}
        {{ cohortwise._argument_error('cohort_mode', "must be first_time or recurring; got " ~ (cohort_mode | string)) }}
    {%- endif -%}
    {%- if criterion not in ('on', 'on_or_after') -%}
        {{ cohortwise._argument_error('criterion', "must be on or on_or_after; got " ~ (criterion | string)) }}
    {%- endif -%}
    {%- if boundaries not in ('calendar', 'rolling') -%}
        {{ cohortwise._argument_error('boundaries', "must be calendar or rolling; got " ~ (boundaries | string)) }}
    {%- endif -%}
    {%- set week_offset = cohortwise._week_offset(first_day_of_week) -%}
    {%- if entity not in ('user_id', 'device_id', 'account_id') -%}
        {{ cohortwise._argument_error('entity', "must be user_id, device_id or account_id; got " ~ (entity | string)) }}
    {%- endif -%}
    {%- set zone = cohortwise._timezone_argument(timezone) -%}
    {%- set range = cohortwise._date_range(date_range, 'date_range', zone) -%}
    {%- set breakdown_spec = cohortwise._breakdown_argument(breakdown, entity) -%}
    {%- set cohort_spec = cohortwise._cohorts_argument(cohorts) -%}
    {%- set public = {
        'start_event': start_spec, 'return_event': return_spec, 'date_range': date_range, 'period': period,
        'periods': periods | int, 'cohort_mode': cohort_mode, 'criterion': criterion, 'boundaries': boundaries,
        'first_day_of_week': first_day_of_week, 'entity': entity, 'breakdown': breakdown_spec,
        'cohorts': cohort_spec, 'timezone': zone,
        'period_seconds': {'day': 86400, 'week': 604800, 'month': 2592000}[period],
        'week_offset': week_offset,
    } -%}
    {{ return({'public': public, 'range': range}) }}
{%- endmacro %}
