{{ cohortwise.funnel_report('funnel_checkout_strict') }}
