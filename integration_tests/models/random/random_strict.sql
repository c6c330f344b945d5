{{ cohortwise.funnel(steps=['a', 'b', 'c'], window='1 hour', date_range={'from': '2024-01-01', 'to': '2024-01-02'}, mode='strict') }}
