{{ cohortwise.retention(start_event='a', return_event='b', period='week', periods=2,
    timezone='Europe/Berlin', date_range={'from': '2024-01-01', 'to': '2024-05-01'}) }}
