{#- Day numbers from 1900-01-01 (a Monday) and integer division, whose operands may be expressions. -#}
with numbers as (

    select
        {{ cohortwise.day_number("cast('1900-01-01' as date)") }} as first_day,
        {{ cohortwise.day_number("cast('2024-03-01' as date)") }} as march_first,
        {{ cohortwise.day_number(cohortwise.local_timestamp_literal('2024-03-01 23:59:59')) }} as march_first_late,
        {{ cohortwise.int_div('45350 + 0', 7) }} as week_of_march_first,
        {{ cohortwise.int_div('1 + 6', 7) }} as one_week,
        {{ cohortwise.int_div(13, 7) }} as rounded_down

)

select * from numbers
where
    first_day <> 0
    or march_first <> 45350
    or march_first_late <> 45350
    or week_of_march_first <> 6478
    or one_week <> 1
    or rounded_down <> 1
