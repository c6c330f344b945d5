{#- Conditions become selectable booleans and back; unknown stays unknown. -#}
with flags as (

    select
        {{ cohortwise.as_boolean('1 = 1') }} as is_true_value,
        {{ cohortwise.as_boolean('1 = 2') }} as is_false_value,
        {{ cohortwise.as_boolean('cast(null as integer) = 1') }} as is_unknown_value,
        {{ cohortwise.bool_literal(true) }} as true_literal,
        {{ cohortwise.bool_literal(false) }} as false_literal

),

checked as (

    select
        case when {{ cohortwise.is_true('is_true_value') }} then 1 else 0 end as first_check,
        case when {{ cohortwise.is_true('is_false_value') }} then 1 else 0 end as second_check,
        case when is_unknown_value is null then 1 else 0 end as third_check,
        case when {{ cohortwise.is_true('true_literal') }} then 1 else 0 end as fourth_check,
        case when {{ cohortwise.is_true('false_literal') }} then 1 else 0 end as fifth_check
    from flags

)

select * from checked
where first_check <> 1 or second_check <> 0 or third_check <> 1 or fourth_check <> 1 or fifth_check <> 0
