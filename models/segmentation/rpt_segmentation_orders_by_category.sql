{{ cohortwise.event_segmentation_report('segmentation_orders_by_category') }}
