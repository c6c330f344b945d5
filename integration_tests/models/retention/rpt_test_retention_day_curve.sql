{{ cohortwise.retention_curve('rpt_test_retention_day') }}
