{#- The purchase path by the user's country, without the test users: funnel_purchase's rows, filtered and joined. -#}
{{ cohortwise.funnel(
    steps=['view_item', 'add_to_cart', 'place_order', 'pay_order'],
    window='1 day',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
    breakdown={'user_attribute': 'country'},
    cohorts={'not_in': ['cohort_test_users']},
    base='funnel_purchase',
) }}
