{#- In test_cohort_did, and not in test_cohort_first_time. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'in_cohort': 'test_cohort_did'},
    {'not_in_cohort': 'test_cohort_first_time'},
]}) }}
