{#- Bought yesterday (Tokyo days). -#}
{{ cohortwise.behavioral_cohort({'did': 'buy', 'window': 'yesterday'}) }}
