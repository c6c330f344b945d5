{#-
    Every raw event row with the reason it cannot be used (see _intermediate__models.yml): the one
    place the audit runs. Incremental by partition_date: a run audits the raw rows from the newest
    clean day minus `cohortwise__lookback_days` on, plus every row without a usable time (kept under
    the day 0001-01-01), and replaces those days whole.
-#}
-- depends_on: {{ source('cohortwise_events', 'events') }} (read directly by incremental runs)
{{ cohortwise.table_grants('detail') }}
{{ config(**cohortwise._incremental_by_day('partition_date')) }}
{{ config(cohortwise_uncompressed_columns=['event_id', 'user_id', 'device_id', 'account_id', 'event_time_raw']) }}
{%- if cohortwise.is_incremental_run() %}
{{ cohortwise._audited_events(
    first_day=cohortwise._incremental_first_day(this, 'case when quarantine_reason is null then partition_date end'),
    history=this) }}
{%- else %}
{{ cohortwise._audited_events() }}
{%- endif %}
