{#- a -> b -> c by the entry event's platform, with a property filter on step b. -#}
{{ cohortwise.funnel(
    steps=['a', {'event': 'b', 'where': [{'property': 'amount', 'op': '>=', 'value': 10}]}, 'c'],
    window='1 hour',
    date_range={'from': '2024-01-01', 'to': '2024-02-01'},
    breakdown={'event_property': 'platform'},
) }}
