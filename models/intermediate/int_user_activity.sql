{#-
    What each user did, over all of its clean events: the activity columns of dim_users.
    Incremental by user: a run recomputes the users with an event from the newest last-seen day in
    the table minus `cohortwise__lookback_days` on (the days the event-level models recompute; no
    other user has a changed event), plus the users last seen since then, each from all of its
    events, and replaces their rows (delete+insert; merge on BigQuery). A recomputed user left
    without any event (its events deleted from the raw days recomputed) is written with no events
    and removed by the post-hook, so the table is always what a full rebuild gives.
-#}
{{ cohortwise.table_grants('detail') }}
{{ config(materialized='incremental', **cohortwise._incremental_by_entity('user_id')) }}
{{ config(post_hook="delete from {{ this }} where events_count = 0") }}
{%- set incremental = cohortwise.is_incremental_run() %}
{%- if incremental %}
{%- set first_day = cohortwise._incremental_first_day(this, 'cast(last_seen_at as date)') %}

with recomputed_users as (

    {#- distinct, and joined rather than read by `in` (see the incremental funnels) #}
    select distinct user_id
    from (
        select user_id
        from {{ ref('fct_events') }}
        where user_id is not null and event_date >= coalesce({{ first_day }}, cast('0001-01-01' as date))

        union all

        select user_id
        from {{ this }}
        where cast(last_seen_at as date) >= {{ first_day }}
    ) as recent

),
{%- endif %}

{#- one row per user, device and account first: two distinct counts over them cost less than over events #}
{{ 'with ' if not incremental }}uses as (

    select
        {%- if incremental %}
        recomputed_users.user_id,
        {%- else %}
        events.user_id,
        {%- endif %}
        events.device_id,
        events.account_id,
        count(events.event_id) as events_count,
        min(events.event_at) as first_seen_at,
        max(events.event_at) as last_seen_at
    {%- if incremental %}
    {#- a recomputed user without any event left gets one row of nulls, counted as 0 events #}
    from recomputed_users
    left join {{ ref('fct_events') }} as events
        on recomputed_users.user_id = events.user_id
    group by recomputed_users.user_id, events.device_id, events.account_id
    {%- else %}
    from {{ ref('fct_events') }} as events
    where events.user_id is not null
    group by events.user_id, events.device_id, events.account_id
    {%- endif %}

),

final as (

    select
        user_id,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        sum(events_count) as events_count,
        count(distinct device_id) as devices_count,
        count(distinct account_id) as accounts_count
    from uses
    group by user_id

)

select * from final
