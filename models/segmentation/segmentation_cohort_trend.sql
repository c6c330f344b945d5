{#- Cohort trend: how many paying users are active each day (any event), against everyone. -#}
{{ cohortwise.event_segmentation(
    events=['*'],
    granularity='day',
    date_range={'from': '2024-03-01', 'to': '2024-04-01'},
    segments=[
        {'name': 'Paying users', 'in_cohort': 'cohort_paying_users'},
        {'name': 'Never paid', 'not_in_cohort': 'cohort_paying_users'},
    ],
) }}
