{{ cohortwise.event_segmentation(events=['a', 'b'], granularity='day',
    date_range={'from': '2024-02-01', 'to': '2024-04-01'}) }}
