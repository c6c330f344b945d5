{{ cohortwise.table_grants('detail') }}
with audited as (

    select * from {{ ref('int_users_audited') }}

),

final as (

    select
        quarantine_reason,
        user_id,
        signed_up_at_raw,
        signed_up_at,
        updated_at,
        {%- for attribute in cohortwise._user_attributes() %}
        {{ adapter.quote(attribute) }},
        {%- endfor %}
        properties
    from audited
    where quarantine_reason is not null

)

select * from final
