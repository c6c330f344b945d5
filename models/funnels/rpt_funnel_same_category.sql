{{ cohortwise.funnel_report('funnel_same_category') }}
