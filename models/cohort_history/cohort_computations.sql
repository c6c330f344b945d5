{#-
    One row per cohort computation: its size, time zone, the day it counts for in that zone, and
    when it was recorded (the start of the dbt run, on the real clock even when cohortwise__as_of
    recomputes the past).
    Written by the post-hook cohortwise.record_cohort_computation of each cohort model, idempotent
    per (cohort, computed_at); this model only creates the table and is never emptied by a
    --full-refresh (full_refresh: false).
    A new column of a later cohortwise version is added to the existing table (old rows null).
-#}
{{ cohortwise.table_grants('cohort') }}
{{ config(materialized='incremental', full_refresh=false, on_schema_change='append_new_columns') }}

select
    cast(null as {{ cohortwise.data_type('text') }}) as cohort_name,
    cast(null as {{ cohortwise.data_type('text') }}) as cohort_type,
    cast(null as {{ cohortwise.data_type('text') }}) as entity_type,
    cast(null as {{ cohortwise.data_type('text') }}) as timezone,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as computed_at,
    cast(null as date) as computed_on,
    cast(null as {{ dbt.type_bigint() }}) as members,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as recorded_at,
    cast(null as {{ cohortwise.data_type('text') }}) as definition_checksum
from (select 1 as placeholder) as no_rows
where 1 = 0
