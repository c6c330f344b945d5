{{ cohortwise.retention_report('retention_rolling_7d') }}
