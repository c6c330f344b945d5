{{ cohortwise.retention_report('retention_daily') }}
