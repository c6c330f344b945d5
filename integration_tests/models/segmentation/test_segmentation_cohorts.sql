{#- Cohort segments (in / not in) and a user-attribute group. -#}
{{ cohortwise.event_segmentation(
    events='a',
    granularity='day',
    date_range={'from': '2024-01-10', 'to': '2024-01-11'},
    segments=[
        {'name': 'VIP', 'in_cohort': 'test_cohort_vips'},
        {'name': 'Others', 'not_in_cohort': 'test_cohort_vips'},
    ],
    group_by={'user_attribute': 'plan'},
) }}
