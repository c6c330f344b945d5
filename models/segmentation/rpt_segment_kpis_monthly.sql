{#- Monthly KPIs by sign-up month, spend band, accounts and activity level (vars: band edges). -#}
{{ cohortwise.segment_kpis(months={'from': '2024-01-01', 'to': '2024-04-01'}) }}
