{#-
    The users behind a retention cell, with their attributes. Compile it for the cell you clicked:
        dbt compile -s retention_drilldown --vars '{retention: retention_daily, cohort: "2024-03-01", period: 3}'
    or leave out `period` for the cohort's initial users.
-#}
{{ cohortwise.retention_drilldown(
    var('retention', 'retention_daily'), var('cohort', '2024-03-01'), var('period', none)) }}
