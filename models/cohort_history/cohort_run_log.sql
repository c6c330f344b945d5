{#-
    One row per cohort per `cohortwise refresh`: what was computed, how it went and why it ran.
    Written by the runner (the run-operation cohortwise.append_run_log); this model only creates
    the table, never emptied by --full-refresh; new columns of later versions are appended.
-#}
{{ cohortwise.table_grants('cohort') }}
{{ config(materialized='incremental', full_refresh=false, on_schema_change='append_new_columns') }}

select
    cast(null as {{ cohortwise.data_type('text') }}) as run_id,
    cast(null as {{ cohortwise.data_type('text') }}) as cohort_name,
    cast(null as {{ cohortwise.data_type('text') }}) as reason,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as computed_at,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as started_at,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as finished_at,
    cast(null as {{ cohortwise.data_type('text') }}) as status,
    cast(null as {{ dbt.type_bigint() }}) as members,
    cast(null as {{ dbt.type_bigint() }}) as previous_members,
    cast(null as {{ cohortwise.data_type('text') }}) as definition_checksum,
    cast(null as {{ cohortwise.data_type('long_text') }}) as message
from (select 1 as placeholder) as no_rows
where 1 = 0
