{{ cohortwise.funnel_report('test_funnel_basic') }}
