{#-
    Every computation's members: (cohort_name, entity_id, computed_at). Written by the post-hook
    cohortwise.record_cohort_members of each cohort model, idempotent per (cohort, computed_at);
    this model only creates the table, and a --full-refresh never empties it (full_refresh: false).
    A new column of a later cohortwise version is added to the existing table (old rows null).
-#}
{{ cohortwise.table_grants('cohort') }}
{{ config(materialized='incremental', full_refresh=false, on_schema_change='append_new_columns') }}

select
    cast(null as {{ cohortwise.data_type('text') }}) as cohort_name,
    cast(null as {{ cohortwise.data_type('text') }}) as entity_id,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as computed_at
from (select 1 as placeholder) as no_rows
where 1 = 0
