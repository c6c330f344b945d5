{#-
    The users behind one value of an event segmentation, with their attributes. Compile it for the
    value you clicked:
        dbt compile -s segmentation_drilldown --vars '{segmentation: segmentation_engagement, event: pay_order, bucket: "2024-03-04", segment: Android}'
    add `group: <value>` when the analysis has a group_by.
-#}
{{ cohortwise.event_segmentation_drilldown(
    var('segmentation', 'segmentation_engagement'), var('event', 'app_open'), var('bucket', '2024-03-04'),
    var('segment', 'iOS'), var('group', none)) }}
