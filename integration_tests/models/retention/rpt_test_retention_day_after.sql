{{ cohortwise.retention_report('test_retention_day_after') }}
