{#- No buy today (New York days); entities without any event count too. -#}
{{ cohortwise.behavioral_cohort({'did_not': 'buy', 'window': 'today'}) }}
