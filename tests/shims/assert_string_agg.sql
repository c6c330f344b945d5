{#- Values joined in the given order with a delimiter that needs escaping. -#}
with letters as (

    select
        'g' as group_key,
        'b' as letter,
        2 as sort_key
    union all
    select
        'g' as group_key,
        'a' as letter,
        1 as sort_key
    union all
    select
        'g' as group_key,
        'c' as letter,
        3 as sort_key

),

joined as (

    select
        group_key,
        {{ cohortwise.string_agg('letter', "|'|", 'sort_key') }} as letters
    from letters
    group by group_key

)

select * from joined
where {{ cohortwise.is_distinct_from('letters', cohortwise.literal("a|'|b|'|c")) }}
