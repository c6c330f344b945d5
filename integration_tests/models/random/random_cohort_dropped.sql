{#- Randomized cohort test: a dynamic result cohort, the entities that stopped at step 2 of random_cohort_funnel. -#}
{{ cohortwise.result_cohort('random_cohort_funnel', {'drill': 'dropped', 'step': 2}) }}
