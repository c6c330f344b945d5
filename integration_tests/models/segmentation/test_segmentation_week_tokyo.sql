{#- Week buckets (Monday) in Tokyo: a Sunday-evening UTC event lands on Monday there. -#}
{{ cohortwise.event_segmentation(
    events='a',
    granularity='week',
    date_range={'from': '2024-01-08', 'to': '2024-01-22'},
    timezone='Asia/Tokyo',
) }}
