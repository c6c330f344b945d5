{#- The same event twice: a -> a -> b needs two distinct a events. -#}
{{ cohortwise.funnel(
    steps=['a', 'a', 'b'],
    window='1 hour',
    date_range={'from': '2024-01-01', 'to': '2024-02-01'},
) }}
