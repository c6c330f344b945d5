{#- Strings that break naive quoting come back intact: same length, quote where it should be. -#}
{%- set cases = [
    "O'Brien's \"cart\"; drop table x; --",
    "back\\slash \\' and \\\\ two",
    "naïve café ☃",
    "",
] -%}

with literals as (

    {%- for value in cases %}
    select
        {{ loop.index }} as case_number,
        {{ cohortwise.literal(value) }} as value_text,
        {{ value | length }} as expected_length,
        {{ value.find("'") + 1 }} as expected_quote_position
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

checked as (

    select
        case_number,
        expected_length,
        expected_quote_position,
        {{ dbt.length('value_text') }} as actual_length,
        {{ dbt.position(cohortwise.literal("'"), 'value_text') }} as actual_quote_position
    from literals

)

select * from checked
where
    {{ cohortwise.is_distinct_from('actual_length', 'expected_length') }}
    or {{ cohortwise.is_distinct_from('actual_quote_position', 'expected_quote_position') }}
