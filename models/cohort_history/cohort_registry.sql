{#- Every cohort of the project with its settings and last computation. -#}
{{ cohortwise.table_grants('cohort') }}
{{ config(materialized='view') }}

{{ cohortwise.cohort_registry() }}
