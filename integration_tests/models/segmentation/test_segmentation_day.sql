{#- Two events, two overlapping user-attribute segments, daily buckets: see _segmentation__unit_tests.yml. -#}
{{ cohortwise.event_segmentation(
    events=['a', {'event': 'b', 'name': 'B'}],
    granularity='day',
    date_range={'from': '2024-01-10', 'to': '2024-01-14'},
    segments=[
        {'name': 'US', 'where': [{'attribute': 'country', 'op': '=', 'value': 'US'}]},
        {'name': 'Pro', 'where': [{'attribute': 'plan', 'op': 'in', 'value': ['pro']}]},
    ],
) }}
