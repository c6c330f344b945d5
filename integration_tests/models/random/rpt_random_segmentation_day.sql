{{ cohortwise.event_segmentation_report('random_segmentation_day') }}
