{{ cohortwise.retention(start_event='*', return_event='a', period='week', periods=3,
    boundaries='rolling', date_range={'from': '2024-02-01', 'to': '2024-06-01'}) }}
