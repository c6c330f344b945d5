{{ cohortwise.table_grants('detail') }}
{%- set columns = cohortwise._column_mapping('events') -%}
{%- set time_type = cohortwise._time_type('events') -%}

with source as (

    select * from {{ source('cohortwise_events', 'events') }}

),

renamed as (

    select
        {{ cohortwise._raw_id(columns.event_id) }} as event_id,
        {{ cohortwise._raw_id(columns.user_id) }} as user_id,
        {{ cohortwise._raw_id(columns.device_id) }} as device_id,
        {{ cohortwise._raw_id(columns.account_id) }} as account_id,
        {{ cohortwise._raw_id(columns.event_name) }} as event_name,
        {{ cohortwise._raw_text(columns.event_time) }} as event_time_raw,
        {{ cohortwise._raw_timestamp(columns.event_time, time_type) }} as event_at,
        {{ cohortwise._raw_timestamp(columns.loaded_at, time_type) }} as loaded_at,
        {{ cohortwise._raw_text(columns.properties, 'long_text') }} as properties
    from source

)

select * from renamed
