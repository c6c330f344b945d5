{#-
    Quarantined raw event rows. Incremental like fct_events, on the same days (the newest day of
    fct_events minus the lookback); rows without a usable time are audited again on every run and
    kept under the day 0001-01-01.
-#}
-- depends_on: {{ ref('stg_events') }}
{{ config(**cohortwise._incremental_by_day('partition_date')) }}
{%- set incremental = cohortwise.is_incremental_run() %}
{%- set first_day = cohortwise._incremental_first_day(ref('fct_events'), 'event_date') %}

with audited as (

    {%- if incremental %}
    {{ cohortwise._audited_events(first_day=first_day, history=ref('fct_events'), include_undated=true) | indent(4) }}
    {%- else %}
    select * from {{ ref('int_events_audited') }}
    {%- endif %}

),

final as (

    select
        quarantine_reason,
        event_id,
        user_id,
        device_id,
        account_id,
        event_name,
        event_time_raw,
        event_at,
        loaded_at,
        properties,
        coalesce(cast(event_at as date), cast('0001-01-01' as date)) as partition_date
    from audited
    where quarantine_reason is not null

)

select * from final
