{#- With the as_of var set, the computation time is exactly that instant; otherwise the clock. -#}
{%- set as_of = var('cohortwise__as_of', none) -%}
with now_value as (

    select {{ cohortwise.current_timestamp_utc() }} as now_at

),

checked as (

    select
        {{ cohortwise.date_part('year', 'now_at') }} as now_year,
        {{ cohortwise.date_part('month', 'now_at') }} as now_month
    from now_value

)

select * from checked
{%- if as_of is not none %}
where now_year <> {{ as_of[0:4] | int }} or now_month <> {{ as_of[5:7] | int }}
{%- else %}
where now_year < 2024
{%- endif %}
