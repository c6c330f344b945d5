{{ cohortwise.funnel_report('funnel_purchase') }}
