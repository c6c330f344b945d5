{#- Segment KPIs for January and February 2024: see _segmentation__unit_tests.yml. -#}
{{ cohortwise.segment_kpis(months={'from': '2024-01-01', 'to': '2024-03-01'}) }}
