{#-
    Midnight of today and of other days in a zone, and local date-time constants: with the as_of var
    set, 2024-06-01 00:00 UTC is 09:00 on June 1 in Tokyo and 20:00 on May 31 in New York.
-#}
{%- set as_of = var('cohortwise__as_of', none) -%}
with days as (

    select
        {{ cohortwise.local_day_start(0, 'Asia/Tokyo') }} as tokyo_today,
        {{ cohortwise.local_day_start(-6, 'Asia/Tokyo') }} as tokyo_six_days_ago,
        {{ cohortwise.local_day_start(0, 'America/New_York') }} as new_york_today,
        {{ cohortwise.local_day_start(1, 'America/New_York') }} as new_york_tomorrow,
        {{ cohortwise.to_local_timestamp(cohortwise.current_timestamp_utc(), 'America/New_York') }} as new_york_now,
        {{ cohortwise.local_timestamp_literal('2024-05-26') }} as may_26,
        {{ cohortwise.local_timestamp_literal('2024-05-31 00:00:00') }} as may_31

),

checked as (

    select
        case when new_york_today <= new_york_now and new_york_now < new_york_tomorrow then 1 else 0 end
            as today_contains_now,
        {%- if as_of is not none and as_of[0:10] == '2024-06-01' %}
        case when tokyo_six_days_ago = may_26 then 1 else 0 end as tokyo_ok,
        case when new_york_today = may_31 then 1 else 0 end as new_york_ok,
        {%- else %}
        1 as tokyo_ok,
        1 as new_york_ok,
        {%- endif %}
        {{ cohortwise.date_part('hour', 'tokyo_today') }} as tokyo_hour
    from days

)

select * from checked
where today_contains_now <> 1 or tokyo_ok <> 1 or new_york_ok <> 1 or tokyo_hour <> 0
