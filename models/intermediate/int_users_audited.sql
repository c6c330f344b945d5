{#-
    Every raw user row with the reason it cannot be used, or null when it is clean. Among clean rows
    sharing a user_id, the most recently updated one is kept (then the earliest sign-up); the
    others are duplicates.
-#}
{{ cohortwise.table_grants('detail') }}
{%- set attributes = cohortwise._user_attributes() -%}

with users as (

    select * from {{ ref('stg_users') }}

),

checked as (

    select
        *,
        case
            when user_id is null then 'missing_user_id'
            when
                signed_up_at_raw is not null
                and {{ cohortwise.trim_text('signed_up_at_raw') }} <> ''
                and signed_up_at is null
                then 'unparseable_signed_up_at'
            when properties is not null and not {{ cohortwise.is_valid_json('properties') }}
                then 'invalid_properties'
        end as row_quarantine_reason
    from users

),

ranked as (

    select
        *,
        row_number() over (
            partition by
                user_id,
                case when row_quarantine_reason is null then 0 else 1 end
            order by
                case when updated_at is null then 1 else 0 end asc,
                updated_at desc,
                case when signed_up_at is null then 1 else 0 end asc,
                signed_up_at asc,
                properties asc
        ) as version_rank
    from checked

),

final as (

    select
        user_id,
        signed_up_at_raw,
        signed_up_at,
        updated_at,
        {%- for attribute in attributes %}
        {{ adapter.quote(attribute) }},
        {%- endfor %}
        properties,
        coalesce(
            row_quarantine_reason,
            case when version_rank > 1 then 'duplicate_user_id' end
        ) as quarantine_reason
    from ranked

)

select * from final
