{{ cohortwise.retention_curve('rpt_retention_daily') }}
