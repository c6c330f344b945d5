{#- Randomized cohort test: the funnel a dynamic result cohort drills into. -#}
{{ cohortwise.funnel(steps=['a', 'b', 'c'], window='1 day', date_range={'from': '2024-04-20', 'to': '2024-06-02'}) }}
