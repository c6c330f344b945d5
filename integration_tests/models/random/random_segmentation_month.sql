{{ cohortwise.event_segmentation(events=['c'], granularity='month', timezone='America/New_York',
    date_range={'from': '2024-01-15', 'to': '2024-06-10'}) }}
