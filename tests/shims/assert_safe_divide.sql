{#- Division never truncates integers and gives null, not an error, for a zero or null denominator. -#}
with cases as (

    select
        1 as numerator,
        4 as denominator,
        0.25 as expected
    union all
    select
        7 as numerator,
        2 as denominator,
        3.5 as expected
    union all
    select
        0 as numerator,
        5 as denominator,
        0.0 as expected
    union all
    select
        1 as numerator,
        0 as denominator,
        null as expected
    union all
    select
        null as numerator,
        2 as denominator,
        null as expected

),

divided as (

    select
        numerator,
        denominator,
        expected,
        {{ cohortwise.safe_divide('numerator', 'denominator') }} as actual
    from cases

)

select * from divided
where
    (expected is null and actual is not null)
    or (expected is not null and (actual is null or abs(actual - expected) > 0.000001))
