{#-
    The days each entity was active (any clean event): fct_daily_activity summed over event names.
    What "active" analyses read: any-event retention, daily / weekly / monthly active entities,
    cohort trends. Incremental like fct_daily_activity.
-#}
{{ cohortwise.table_grants('detail') }}
{{ config(**cohortwise._incremental_by_day('activity_date')) }}
{{ config(cohortwise_uncompressed_columns=['entity_id']) }}
{%- set incremental = cohortwise.is_incremental_run() %}

with activity as (

    select * from {{ ref('fct_daily_activity') }}
    {%- if incremental %}
    where activity_date >= {{ cohortwise._incremental_first_day(this, 'activity_date') }}
    {%- endif %}

),

final as (

    select
        entity_type,
        entity_id,
        activity_date,
        sum(event_count) as event_count,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at
    from activity
    group by entity_type, entity_id, activity_date

)

select * from final
