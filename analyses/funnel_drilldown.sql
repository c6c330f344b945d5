{#-
    The users behind a funnel number, with their attributes. Compile it for the cell you clicked:
        dbt compile -s funnel_drilldown --vars '{funnel: funnel_purchase, drill: converted, step: 3}'
        dbt compile -s funnel_drilldown --vars '{funnel: funnel_purchase, drill: dropped, step: 2}'
        dbt compile -s funnel_drilldown --vars '{funnel: funnel_purchase, drill: dropoff}'
    and run target/compiled/cohortwise/analyses/funnel_drilldown.sql, or `dbt show` it.
-#}
{{ cohortwise.funnel_drilldown(var('funnel', 'funnel_purchase'), var('drill', 'converted'), var('step', 2)) }}
