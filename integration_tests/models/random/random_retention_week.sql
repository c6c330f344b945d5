{{ cohortwise.retention(start_event='a', return_event='*', period='week', periods=4,
    cohort_mode='recurring', timezone='Asia/Tokyo', first_day_of_week='sunday',
    date_range={'from': '2024-01-01', 'to': '2024-07-01'}) }}
