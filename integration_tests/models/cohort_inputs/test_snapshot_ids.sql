{#- A frozen list of ids, as the runner's save-cohort --static writes one (blank and repeated ids included). -#}
select 'u1' as entity_id
union all
select 'u1' as entity_id
union all
select cast(null as varchar) as entity_id
