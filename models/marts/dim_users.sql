{{ cohortwise.table_grants('detail') }}
{%- set attributes = cohortwise._user_attributes() -%}

with audited_users as (

    select * from {{ ref('int_users_audited') }}

),

profiles as (

    select * from audited_users
    where quarantine_reason is null

),

activity as (

    select * from {{ ref('int_user_activity') }}

),

final as (

    select
        coalesce(profiles.user_id, activity.user_id) as user_id,
        profiles.signed_up_at,
        {%- for attribute in attributes %}
        profiles.{{ adapter.quote(attribute) }},
        {%- endfor %}
        profiles.properties,
        activity.first_seen_at,
        activity.last_seen_at,
        coalesce(activity.events_count, 0) as events_count,
        coalesce(activity.devices_count, 0) as devices_count,
        coalesce(activity.accounts_count, 0) as accounts_count,
        {{ cohortwise.as_boolean('profiles.user_id is not null') }} as has_profile
    from profiles
    full outer join activity
        on profiles.user_id = activity.user_id

)

select * from final
