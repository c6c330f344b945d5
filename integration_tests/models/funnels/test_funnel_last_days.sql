{#- Entries in the last 7 calendar days of Tokyo, today included (today = the as_of var there). -#}
{{ cohortwise.funnel(
    steps=['a', 'b'],
    window='1 hour',
    date_range={'last_days': 7},
    timezone='Asia/Tokyo',
) }}
