{#- A static result cohort: the ids frozen in test_snapshot_ids. -#}
{{ cohortwise.static_result_cohort(ref('test_snapshot_ids')) }}
