{{ cohortwise.event_segmentation(events=['*', {'event': 'b', 'name': 'B'}], granularity='week',
    first_day_of_week='sunday', timezone='Europe/Berlin',
    date_range={'from': '2024-03-06', 'to': '2024-05-02'}) }}
