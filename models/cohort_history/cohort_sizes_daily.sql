{#-
    The cohort trend: per cohort and day (in the cohort's time zone) with a computation, the day's
    last computation — members, and against the previous such day the members who joined and left.
    A view, so it is current as soon as a cohort's post-hooks have run.
-#}
{{ cohortwise.table_grants('cohort') }}
{{ config(materialized='view') }}

with computations as (

    select * from {{ ref('cohort_computations') }}

),

history as (

    select * from {{ ref('cohort_membership_history') }}

),

ranked as (

    select
        computations.*,
        row_number() over (
            partition by computations.cohort_name, computations.computed_on
            order by computations.computed_at desc
        ) as rank_in_day
    from computations

),

days as (

    select
        cohort_name,
        cohort_type,
        entity_type,
        timezone,
        computed_on,
        computed_at,
        members,
        lag(computed_at) over (partition by cohort_name order by computed_at) as previous_computed_at,
        lag(members) over (partition by cohort_name order by computed_at) as previous_members
    from ranked
    where rank_in_day = 1

),

joiners as (

    select
        days.cohort_name,
        days.computed_at,
        count(*) as joiners
    from days
    inner join history as current_members
        on
            days.cohort_name = current_members.cohort_name
            and days.computed_at = current_members.computed_at
    where
        days.previous_computed_at is not null
        and not exists (
            select 1
            from history as previous_members
            where
                previous_members.cohort_name = days.cohort_name
                and previous_members.computed_at = days.previous_computed_at
                and previous_members.entity_id = current_members.entity_id
        )
    group by days.cohort_name, days.computed_at

),

leavers as (

    select
        days.cohort_name,
        days.computed_at,
        count(*) as leavers
    from days
    inner join history as previous_members
        on
            days.cohort_name = previous_members.cohort_name
            and days.previous_computed_at = previous_members.computed_at
    where
        not exists (
            select 1
            from history as current_members
            where
                current_members.cohort_name = days.cohort_name
                and current_members.computed_at = days.computed_at
                and current_members.entity_id = previous_members.entity_id
        )
    group by days.cohort_name, days.computed_at

)

select
    days.cohort_name,
    days.cohort_type,
    days.entity_type,
    days.timezone,
    days.computed_on,
    days.computed_at,
    days.members,
    days.previous_computed_at,
    days.previous_members,
    case when days.previous_computed_at is not null then coalesce(joiners.joiners, 0) end as joiners,
    case when days.previous_computed_at is not null then coalesce(leavers.leavers, 0) end as leavers
from days
left join joiners
    on
        days.cohort_name = joiners.cohort_name
        and days.computed_at = joiners.computed_at
left join leavers
    on
        days.cohort_name = leavers.cohort_name
        and days.computed_at = leavers.computed_at
