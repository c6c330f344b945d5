{#-
    Clean events. Incremental by UTC event day: a run recomputes the days from the newest kept
    day minus `cohortwise__lookback_days` (late arrivals) and replaces them whole, so running it
    twice on the same input leaves the same rows. `dbt build --full-refresh` rebuilds everything.
-#}
-- depends_on: {{ ref('stg_events') }}
{{ config(**cohortwise._incremental_by_day('event_date')) }}
{%- set incremental = cohortwise.is_incremental_run() %}

with audited as (

    {%- if incremental %}
    {{ cohortwise._audited_events(
        first_day=cohortwise._incremental_first_day(this, 'event_date'), history=this) | indent(4) }}
    {%- else %}
    select * from {{ ref('int_events_audited') }}
    {%- endif %}

),

clean as (

    select * from audited
    where quarantine_reason is null

),

final as (

    select
        event_id,
        user_id,
        device_id,
        account_id,
        event_name,
        event_at,
        cast(event_at as date) as event_date,
        loaded_at,
        {%- for name, type_name in cohortwise._promoted_properties().items() %}
        {{ cohortwise.event_property(name, type_name) }} as {{ adapter.quote(name) }},
        {%- endfor %}
        properties
    from clean

)

select * from final
