{#-
    What each entity did each day: the per-entity daily aggregate that segmentation, cohorts and
    retention read instead of every event. Days are calendar days in the project time zone
    (`cohortwise__timezone`). Incremental like fct_events: a run recomputes the days from the
    newest day minus `cohortwise__lookback_days`, reading only the events that can fall on them.
-#}
{{ cohortwise.table_grants('detail') }}
{{ config(**cohortwise._incremental_by_day('activity_date')) }}
{{ config(cohortwise_uncompressed_columns=['entity_id']) }}
{%- set incremental = cohortwise.is_incremental_run() %}
{%- set timestamp_type = cohortwise.data_type('timestamp') %}
{%- set text_type = cohortwise.data_type('text') %}
{%- set first_day = cohortwise._incremental_first_day(this, 'activity_date') if incremental else none %}

with events as (

    select
        user_id,
        device_id,
        account_id,
        event_name,
        event_at,
        cast({{ cohortwise.to_local_timestamp('event_at') }} as date) as activity_date
    from {{ ref('fct_events') }}
    {%- if incremental %}
    {#- a local day starts at most 14 hours before or after the UTC day: one day of margin #}
    where event_at >= cast({{ dbt.dateadd('day', -1, 'cast(' ~ first_day ~ ' as ' ~ timestamp_type ~ ')') }} as {{ timestamp_type }})
    {%- endif %}

),

{%- for entity in cohortwise._daily_activity_entities() %}

by_{{ entity }} as (

    select
        cast({{ cohortwise.literal(entity) }} as {{ text_type }}) as entity_type,
        {{ entity }} as entity_id,
        activity_date,
        event_name,
        count(*) as event_count,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at
    from events
    where
        {{ entity }} is not null
    {%- if incremental %}
        and activity_date >= {{ first_day }}
        {%- endif %}
    group by {{ entity }}, activity_date, event_name

),
{%- endfor %}

final as (

    {%- for entity in cohortwise._daily_activity_entities() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select * from by_{{ entity }}
    {%- endfor %}

)

select * from final
