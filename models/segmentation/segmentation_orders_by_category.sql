{#- Daily orders by product category (an event property): reads the events, not the daily tables. -#}
{{ cohortwise.event_segmentation(
    events=[{'event': 'place_order', 'name': 'Orders'}],
    granularity='day',
    date_range={'from': '2024-03-01', 'to': '2024-04-01'},
    group_by={'event_property': 'product_category'},
) }}
