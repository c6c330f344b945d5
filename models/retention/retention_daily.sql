{#- Daily retention after sign-up: back on day N (any event), first 30 days. -#}
{#- incremental: a run recomputes only the entities with events in the newest days (a table on BigQuery) -#}
{{ config(materialized='table' if target.type == 'bigquery' else 'incremental') }}
{{ cohortwise.retention(
    start_event='sign_up',
    return_event='*',
    period='day',
    periods=30,
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
) }}
