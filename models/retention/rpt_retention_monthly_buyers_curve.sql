{{ cohortwise.retention_curve('rpt_retention_monthly_buyers') }}
