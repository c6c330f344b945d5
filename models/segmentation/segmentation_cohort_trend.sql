{#- Cohort trend: how many paying users are active each day (any event), against everyone. -#}
{#- millions of entity-periods: the ids are written plain on DuckDB (macros/internal/_duckdb_storage.sql) -#}
{{ config(cohortwise_uncompressed_columns=['entity_id']) }}
{{ cohortwise.event_segmentation(
    events=['*'],
    granularity='day',
    date_range={'from': '2024-03-01', 'to': '2024-04-01'},
    segments=[
        {'name': 'Paying users', 'in_cohort': 'cohort_paying_users'},
        {'name': 'Never paid', 'not_in_cohort': 'cohort_paying_users'},
    ],
) }}
