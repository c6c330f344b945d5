{#- Every cohort of the project with its settings and last computation. -#}
{{ config(materialized='view') }}

{{ cohortwise.cohort_registry() }}
