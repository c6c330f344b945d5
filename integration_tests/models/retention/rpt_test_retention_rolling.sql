{{ cohortwise.retention_report('test_retention_rolling') }}
