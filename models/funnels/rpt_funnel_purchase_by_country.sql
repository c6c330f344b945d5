{{ cohortwise.funnel_report('funnel_purchase_by_country') }}
