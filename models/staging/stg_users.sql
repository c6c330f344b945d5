{{ cohortwise.table_grants('detail') }}
{%- set columns = cohortwise._column_mapping('users') -%}
{%- set time_type = cohortwise._time_type('users') -%}

with source as (

    select * from {{ source('cohortwise_users', 'users') }}

),

renamed as (

    select
        {{ cohortwise._raw_id(columns.user_id) }} as user_id,
        {{ cohortwise._raw_text(columns.signed_up_at) }} as signed_up_at_raw,
        {{ cohortwise._raw_timestamp(columns.signed_up_at, time_type) }} as signed_up_at,
        {{ cohortwise._raw_timestamp(columns.updated_at, time_type) }} as updated_at,
        {%- for attribute in cohortwise._user_attributes() %}
        {{ cohortwise._raw_column(attribute) }} as {{ adapter.quote(attribute) }},
        {%- endfor %}
        {{ cohortwise._raw_text(columns.properties, 'long_text') }} as properties
    from source

)

select * from renamed
