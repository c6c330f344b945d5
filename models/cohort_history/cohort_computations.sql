{#-
    One row per cohort computation: its size, time zone and the day it counts for in that zone.
    Written by the post-hook cohortwise.record_cohort_computation of each cohort model, idempotent
    per (cohort, computed_at); this model only creates the table and is never emptied by a
    --full-refresh (full_refresh: false).
-#}
{{ config(materialized='incremental', full_refresh=false, on_schema_change='fail') }}

select
    cast(null as {{ cohortwise.data_type('text') }}) as cohort_name,
    cast(null as {{ cohortwise.data_type('text') }}) as cohort_type,
    cast(null as {{ cohortwise.data_type('text') }}) as entity_type,
    cast(null as {{ cohortwise.data_type('text') }}) as timezone,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as computed_at,
    cast(null as date) as computed_on,
    cast(null as {{ dbt.type_bigint() }}) as members
from (select 1 as placeholder) as nothing
where 1 = 0
