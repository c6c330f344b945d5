{{ cohortwise.event_segmentation_report('segmentation_engagement') }}
