{{ cohortwise.retention(start_event='a', return_event='b', period='month', periods=3,
    criterion='on_or_after', timezone='America/New_York', date_range={'from': '2024-01-01', 'to': '2024-07-01'}) }}
