{{ cohortwise.retention_curve('rpt_retention_rolling_7d') }}
