{#-
    timestamp_add keeps a timestamp (comparable with other timestamps on BigQuery too),
    current_timestamp_utc answers the as_of var, timestamptz_to_utc moves an offset to UTC.
-#}
{%- set ts = cohortwise.data_type('timestamp') -%}
{%- if target.type == 'bigquery' -%}
    {%- set aware = "timestamp('2024-01-01 10:00:00+02:00')" -%}
{%- elif target.type == 'sqlserver' -%}
    {%- set aware = "cast('2024-01-01T10:00:00+02:00' as datetimeoffset)" -%}
{%- elif target.type == 'redshift' -%}
    {%- set aware = "cast('2024-01-01 10:00:00+02' as timestamptz)" -%}
{%- else -%}
{%- set aware = "cast('2024-01-01 10:00:00+02:00' as timestamptz)" -%}
{%- endif -%}

with moments as (

    select
        cast('2024-03-30 23:30:00' as {{ ts }}) as start_at,
        {{ cohortwise.timestamp_add('second', 5400, "cast('2024-03-30 23:30:00' as " ~ ts ~ ")") }} as plus_90_minutes,
        {{ cohortwise.timestamp_add('day', 2, "cast('2024-03-30 23:30:00' as " ~ ts ~ ")") }} as plus_2_days,
        {{ cohortwise.timestamptz_to_utc(aware) }} as aware_in_utc

),

checked as (

    select
        case when plus_90_minutes > start_at then 1 else 0 end as compares,
        {{ cohortwise.date_part('day', 'plus_90_minutes') }} as day_after_90_minutes,
        {{ cohortwise.date_part('hour', 'plus_90_minutes') }} as hour_after_90_minutes,
        {{ cohortwise.date_part('day', 'plus_2_days') }} as day_after_2_days,
        {{ cohortwise.date_part('hour', 'aware_in_utc') }} as aware_hour_utc
    from moments

)

select * from checked
where
    compares <> 1
    or day_after_90_minutes <> 31
    or hour_after_90_minutes <> 1
    or day_after_2_days <> 1
    or aware_hour_utc <> 8
