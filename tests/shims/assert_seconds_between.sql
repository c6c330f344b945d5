{#- Exact seconds between timestamps, fractions and day changes included. -#}
{%- set cases = [
    ('2024-01-01 10:00:00', '2024-01-01 10:00:01.500', 1.5),
    ('2024-02-28 23:59:59', '2024-03-01 00:00:00', 86401),
    ('2024-01-01 10:00:00.900', '2024-01-01 10:00:01.100', 0.2),
] -%}
{%- set ts = cohortwise.data_type('timestamp') -%}

with spans as (

    {%- for start_text, end_text, expected in cases %}
    {%- set start_at = 'cast(' ~ cohortwise.literal(start_text) ~ ' as ' ~ ts ~ ')' %}
    {%- set end_at = 'cast(' ~ cohortwise.literal(end_text) ~ ' as ' ~ ts ~ ')' %}
    select
        {{ loop.index }} as case_number,
        {{ cohortwise.seconds_between(start_at, end_at) }} as actual,
        {{ expected }} as expected
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from spans
where actual is null or abs(actual - expected) > 0.000001
