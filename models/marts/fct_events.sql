with audited as (

    select * from {{ ref('int_events_audited') }}

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
        loaded_at,
        {%- for name, type_name in cohortwise._promoted_properties().items() %}
        {{ cohortwise.event_property(name, type_name) }} as {{ adapter.quote(name) }},
        {%- endfor %}
        properties
    from clean

)

select * from final
