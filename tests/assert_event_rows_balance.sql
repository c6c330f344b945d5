{#- Nothing is lost: every raw event row is either a clean event or a quarantined row. An
    incremental run only audits the newest days (cohortwise__lookback_days): raw rows that arrive
    later than that make this test fail until `dbt build --full-refresh`. -#}
with raw_rows as (

    select count(*) as row_count from {{ ref('stg_events') }}

),

clean_rows as (

    select count(*) as row_count from {{ ref('fct_events') }}

),

quarantined_rows as (

    select count(*) as row_count from {{ ref('quarantine_events') }}

),

final as (

    select
        raw_rows.row_count as raw_row_count,
        clean_rows.row_count as clean_row_count,
        quarantined_rows.row_count as quarantined_row_count
    from raw_rows
    cross join clean_rows
    cross join quarantined_rows

)

select * from final
where raw_row_count <> clean_row_count + quarantined_row_count
