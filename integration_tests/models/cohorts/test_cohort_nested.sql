{#- (a and b) or (c and (d or not e)). -#}
{{ cohortwise.behavioral_cohort({'any': [
    {'all': [{'did': 'a'}, {'did': 'b'}]},
    {'all': [{'did': 'c'}, {'any': [{'did': 'd'}, {'did_not': 'e'}]}]},
]}) }}
