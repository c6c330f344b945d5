{{ cohortwise.retention(start_event='a', return_event='b', period='day', periods=7,
    date_range={'from': '2024-01-01', 'to': '2024-07-01'}) }}
