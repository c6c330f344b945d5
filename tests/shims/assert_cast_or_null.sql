{#- The same texts give the same values, or null, on every warehouse. -#}
{%- set cases = [
    ('12.5', 'numeric', '12.5'), (' -3 ', 'numeric', '-3'), ('.5', 'numeric', '0.5'), ('7.', 'numeric', '7'),
    ('1e3', 'numeric', none), ('12.5.1', 'numeric', none), ('abc', 'numeric', none), ('', 'numeric', none),
    ('42', 'integer', '42'), ('+5', 'integer', '5'), ('4.2', 'integer', none), ('1e3', 'integer', none),
    ('', 'integer', none), ('5-', 'integer', none),
    ('1e-2', 'float', '0.01'), ('2.5E3', 'float', '2500'), ('-7', 'float', '-7'), ('1e999', 'float', none),
    ('e5', 'float', none),
] -%}

with casts as (

    {%- for text, type_name, expected in cases %}
    select
        {{ loop.index }} as case_number,
        cast({{ cohortwise.cast_or_null(cohortwise.literal(text), type_name) }} as {{ cohortwise.data_type('float') }})
            as actual,
        cast({{ cohortwise.literal(expected) }} as {{ cohortwise.data_type('float') }}) as expected
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

booleans as (

    {%- for text, expected in [('true', 1), (' FALSE ', 0), ('yes', none), ('1', none), ('t', none)] %}
    select
        {{ 100 + loop.index }} as case_number,
        case
            when {{ cohortwise.is_true(cohortwise.cast_or_null(cohortwise.literal(text), 'boolean')) }} then 1
            when not {{ cohortwise.is_true(cohortwise.cast_or_null(cohortwise.literal(text), 'boolean')) }} then 0
        end as actual,
        {{ cohortwise.literal(expected) }} as expected
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

checked as (

    select
        case_number,
        actual,
        expected
    from casts
    union all
    select
        case_number,
        cast(actual as {{ cohortwise.data_type('float') }}) as actual,
        cast(expected as {{ cohortwise.data_type('float') }}) as expected
    from booleans

)

select * from checked
where
    (expected is null and actual is not null)
    or (expected is not null and (actual is null or abs(actual - expected) > 0.000001))
