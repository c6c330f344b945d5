{#- Wall-clock time in a zone, across both DST changes, a half-hour zone and a date change. -#}
{%- set cases = [
    {'name': 'berlin_before_spring_forward', 'utc': '2024-03-31 00:30:00', 'zone': 'Europe/Berlin', 'day': 31, 'hour': 1, 'minute': 30},
    {'name': 'berlin_after_spring_forward', 'utc': '2024-03-31 01:30:00', 'zone': 'Europe/Berlin', 'day': 31, 'hour': 3, 'minute': 30},
    {'name': 'new_york_first_1_30', 'utc': '2024-11-03 05:30:00', 'zone': 'America/New_York', 'day': 3, 'hour': 1, 'minute': 30},
    {'name': 'new_york_second_1_30', 'utc': '2024-11-03 06:30:00', 'zone': 'America/New_York', 'day': 3, 'hour': 1, 'minute': 30},
    {'name': 'new_york_after_fall_back', 'utc': '2024-11-03 07:30:00', 'zone': 'America/New_York', 'day': 3, 'hour': 2, 'minute': 30},
    {'name': 'shanghai_next_day', 'utc': '2024-01-01 16:00:00', 'zone': 'Asia/Shanghai', 'day': 2, 'hour': 0, 'minute': 0},
    {'name': 'kolkata_half_hour', 'utc': '2024-01-01 00:00:00', 'zone': 'Asia/Kolkata', 'day': 1, 'hour': 5, 'minute': 30},
    {'name': 'utc_unchanged', 'utc': '2024-01-01 16:00:00', 'zone': 'UTC', 'day': 1, 'hour': 16, 'minute': 0},
] -%}

with converted as (

    {%- for case in cases %}
    select
        {{ cohortwise.literal(case.name) }} as case_name,
        {{ cohortwise.to_local_timestamp(
            'cast(' ~ cohortwise.literal(case.utc) ~ ' as ' ~ cohortwise.data_type('timestamp') ~ ')', case.zone) }}
            as local_at,
        {{ case.day }} as expected_day,
        {{ case.hour }} as expected_hour,
        {{ case.minute }} as expected_minute
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

checked as (

    select
        case_name,
        expected_day,
        expected_hour,
        expected_minute,
        {{ cohortwise.date_part('day', 'local_at') }} as actual_day,
        {{ cohortwise.date_part('hour', 'local_at') }} as actual_hour,
        {{ cohortwise.date_part('minute', 'local_at') }} as actual_minute
    from converted

)

select * from checked
where
    {{ cohortwise.is_distinct_from('actual_day', 'expected_day') }}
    or {{ cohortwise.is_distinct_from('actual_hour', 'expected_hour') }}
    or {{ cohortwise.is_distinct_from('actual_minute', 'expected_minute') }}
