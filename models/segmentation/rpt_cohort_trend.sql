{#- The cohort trend as a line per segment: people = the cohort's members active that day. -#}
{{ cohortwise.event_segmentation_report('segmentation_cohort_trend') }}
