{{ cohortwise.retention_report('retention_monthly_buyers') }}
