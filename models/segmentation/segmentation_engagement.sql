{#- Weekly engagement of iOS and Android users: app opens, carts, paid orders. -#}
{#- millions of entity-periods: the ids are written plain on DuckDB (macros/internal/_duckdb_storage.sql) -#}
{{ config(cohortwise_uncompressed_columns=['entity_id']) }}
{{ cohortwise.event_segmentation(
    events=['app_open', 'add_to_cart', {'event': 'pay_order', 'name': 'Paid orders'}],
    granularity='week',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
    segments=[
        {'name': 'iOS', 'where': [{'attribute': 'platform', 'op': '=', 'value': 'ios'}]},
        {'name': 'Android', 'where': [{'attribute': 'platform', 'op': '=', 'value': 'android'}]},
    ],
) }}
