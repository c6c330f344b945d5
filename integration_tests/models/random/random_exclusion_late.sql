{{ cohortwise.funnel(
    steps=['a', 'b', 'c', 'd'], window='1 hour', date_range={'from': '2024-01-01', 'to': '2024-01-02'},
    exclusions=[{'event': 'e', 'between': [3, 4]}],
) }}
