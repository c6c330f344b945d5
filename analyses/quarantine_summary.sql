{#- What the quarantine holds, per reason, with an example row id: `dbt compile -s quarantine_summary`. -#}
with quarantined as (

    select * from {{ ref('quarantine_events') }}

),

summarised as (

    select
        quarantine_reason,
        count(*) as rows_quarantined,
        min(event_id) as example_event_id,
        min(event_time_raw) as example_event_time_raw
    from quarantined
    group by quarantine_reason

)

select * from summarised
