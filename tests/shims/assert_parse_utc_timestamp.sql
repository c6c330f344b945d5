{#- ISO 8601 UTC spellings parse; other offsets, impossible dates and garbage give null. -#}
{%- set cases = [
    ('2024-02-29 23:59:59', 2024, 2, 29, 23, 59), ('2024-03-01T10:00:00Z', 2024, 3, 1, 10, 0),
    ('2024-03-01 10:00:00+00:00', 2024, 3, 1, 10, 0), ('2024-03-01 10:00:00.250', 2024, 3, 1, 10, 0),
    (' 2024-03-01 10:05 ', 2024, 3, 1, 10, 5), ('2024-03-01', 2024, 3, 1, 0, 0),
    ('2000-02-29 00:00:00', 2000, 2, 29, 0, 0),
    ('2023-02-29 10:00:00', none, none, none, none, none), ('1900-02-29 10:00:00', none, none, none, none, none),
    ('2024-04-31 10:00:00', none, none, none, none, none), ('2024-03-01 24:00:00', none, none, none, none, none),
    ('2024-03-01 10:60:00', none, none, none, none, none), ('2024-03-01 10:00:00+02:00', none, none, none, none, none),
    ('2024-13-01 10:00:00', none, none, none, none, none), ('03/01/2024 10:00', none, none, none, none, none),
    ('yesterday', none, none, none, none, none),
] -%}

with parsed as (

    {%- for text, year, month, day, hour, minute in cases %}
    select
        {{ loop.index }} as case_number,
        {{ cohortwise.parse_utc_timestamp(cohortwise.literal(text)) }} as parsed_at,
        {{ cohortwise.literal(year) }} as expected_year,
        {{ cohortwise.literal(month) }} as expected_month,
        {{ cohortwise.literal(day) }} as expected_day,
        {{ cohortwise.literal(hour) }} as expected_hour,
        {{ cohortwise.literal(minute) }} as expected_minute
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

checked as (

    select
        case_number,
        expected_year,
        expected_month,
        expected_day,
        expected_hour,
        expected_minute,
        {{ cohortwise.date_part('year', 'parsed_at') }} as actual_year,
        {{ cohortwise.date_part('month', 'parsed_at') }} as actual_month,
        {{ cohortwise.date_part('day', 'parsed_at') }} as actual_day,
        {{ cohortwise.date_part('hour', 'parsed_at') }} as actual_hour,
        {{ cohortwise.date_part('minute', 'parsed_at') }} as actual_minute
    from parsed

)

select * from checked
where
    {{ cohortwise.is_distinct_from('actual_year', 'expected_year') }}
    or {{ cohortwise.is_distinct_from('actual_month', 'expected_month') }}
    or {{ cohortwise.is_distinct_from('actual_day', 'expected_day') }}
    or {{ cohortwise.is_distinct_from('actual_hour', 'expected_hour') }}
    or {{ cohortwise.is_distinct_from('actual_minute', 'expected_minute') }}
