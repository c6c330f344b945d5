{#- A hand-made cohort for the cohort-filter tests: one entity_id column. -#}
select 'u_vip' as entity_id
