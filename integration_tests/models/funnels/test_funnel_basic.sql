{#- a -> b -> c within one hour, entries in January 2024 (UTC). -#}
{{ cohortwise.funnel(
    steps=['a', 'b', 'c'],
    window='1 hour',
    date_range={'from': '2024-01-01', 'to': '2024-02-01'},
) }}
