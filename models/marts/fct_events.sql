{#-
    Clean events. Incremental by UTC event day: a run takes the days from the newest kept day minus
    `cohortwise__lookback_days` (late arrivals) from int_events_audited and replaces them whole, so
    running it twice on the same input leaves the same rows. `dbt build --full-refresh` rebuilds
    everything.
-#}
{{ cohortwise.table_grants('detail') }}
{{ config(**cohortwise._incremental_by_day('event_date')) }}
{{ config(cohortwise_uncompressed_columns=['event_id', 'user_id', 'device_id', 'account_id']) }}

with clean as (

    select * from {{ ref('int_events_audited') }}
    where
        quarantine_reason is null
    {%- if cohortwise.is_incremental_run() %}
        and partition_date >= {{ cohortwise._incremental_first_day(this, 'event_date') }}
        {%- endif %}

),

{%- set promoted = cohortwise._promoted_properties() %}
{%- set property_texts = cohortwise._event_property_texts(promoted.keys() | list) %}

with_texts as (

    select
        *{{ ',' if property_texts.read is not none }}
        {{ property_texts.read or '' }}
    from clean

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
        {%- for name, type_name in promoted.items() %}
        {{ cohortwise.cast_or_null(property_texts.texts[loop.index0], type_name) }} as {{ adapter.quote(name) }},
        {%- endfor %}
        properties
    from with_texts

)

select * from final
