{{ cohortwise.event_segmentation_report('test_segmentation_day') }}
