{{ cohortwise.funnel_report('funnel_purchase_without_search') }}
