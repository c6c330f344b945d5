{#- a -> b for the vip cohort only, and a -> b for everyone outside it. -#}
{{ cohortwise.funnel(
    steps=['a', 'b'],
    window='1 hour',
    date_range={'from': '2024-01-01', 'to': '2024-02-01'},
    cohorts={'in': ['test_cohort_vips']},
) }}
