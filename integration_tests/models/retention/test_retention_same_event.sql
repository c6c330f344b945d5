{{ cohortwise.retention(start_event='a', return_event='a', period='day', periods=2,
    date_range={'from': '2024-01-01', 'to': '2024-05-01'}) }}
