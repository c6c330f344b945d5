{#- a -> b, daily calendar periods in UTC, first time, 3 periods. -#}
{{ cohortwise.retention(start_event='a', return_event='b', period='day', periods=3,
    date_range={'from': '2024-01-01', 'to': '2024-05-01'}) }}
