{{ cohortwise.retention_report('retention_weekly_by_platform') }}
