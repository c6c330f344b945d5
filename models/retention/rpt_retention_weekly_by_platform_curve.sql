{{ cohortwise.retention_curve('rpt_retention_weekly_by_platform') }}
