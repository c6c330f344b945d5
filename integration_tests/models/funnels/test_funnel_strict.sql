{{ cohortwise.funnel(
    steps=['a', 'b', 'c'],
    window='1 hour',
    date_range={'from': '2024-01-01', 'to': '2024-02-01'},
    mode='strict',
) }}
