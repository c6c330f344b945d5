{#- Weekly retention of app openers by the platform of their first app_open, returning to view items. -#}
{{ cohortwise.retention(
    start_event='app_open',
    return_event='view_item',
    period='week',
    periods=8,
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
    breakdown={'event_property': 'platform'},
    cohorts={'not_in': ['cohort_test_users']},
) }}
