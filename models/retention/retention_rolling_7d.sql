{#- Rolling retention: back within each 24-hour period after sign-up (Berlin calendar cohorts). -#}
{#- incremental: a run recomputes only the entities with events in the newest days (a table on BigQuery) -#}
{{ config(materialized='table' if target.type == 'bigquery' else 'incremental') }}
{{ cohortwise.retention(
    start_event='sign_up',
    return_event='app_open',
    period='day',
    periods=14,
    boundaries='rolling',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
    timezone='Europe/Berlin',
) }}
