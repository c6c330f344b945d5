{#- is_distinct_from is true or false, never null: both null, one null, equal, unequal. -#}
{%- set null_text = 'cast(null as ' ~ cohortwise.data_type('text') ~ ')' %}

with pairs as (

    select
        {{ null_text }} as left_value,
        {{ null_text }} as right_value,
        0 as expected
    union all
    select
        'a' as left_value,
        {{ null_text }} as right_value,
        1 as expected
    union all
    select
        {{ null_text }} as left_value,
        'a' as right_value,
        1 as expected
    union all
    select
        'a' as left_value,
        'a' as right_value,
        0 as expected
    union all
    select
        'a' as left_value,
        'b' as right_value,
        1 as expected

),

checked as (

    select
        expected,
        case
            when {{ cohortwise.is_distinct_from('left_value', 'right_value') }} then 1
            when not {{ cohortwise.is_distinct_from('left_value', 'right_value') }} then 0
            else -1
        end as actual
    from pairs

)

select * from checked
where actual <> expected
