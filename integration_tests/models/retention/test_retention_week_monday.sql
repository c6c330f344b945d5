{{ cohortwise.retention(start_event='a', return_event='b', period='week', periods=2,
    date_range={'from': '2023-12-01', 'to': '2024-05-01'}) }}
