{#- Monthly retention of buyers (recurring cohorts), buying again in that month or later. -#}
{#- incremental: a run recomputes only the entities with events in the newest days (a table on BigQuery) -#}
{{ config(materialized='table' if target.type == 'bigquery' else 'incremental') }}
{{ cohortwise.retention(
    start_event='pay_order',
    return_event='pay_order',
    period='month',
    periods=3,
    cohort_mode='recurring',
    criterion='on_or_after',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
) }}
