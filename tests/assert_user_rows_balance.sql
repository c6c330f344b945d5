{#- Nothing is lost: every raw user row is either a profile in dim_users or a quarantined row. -#}
with raw_rows as (

    select count(*) as row_count from {{ ref('stg_users') }}

),

profiles as (

    select count(*) as row_count from {{ ref('dim_users') }}
    where {{ cohortwise.is_true('has_profile') }}

),

quarantined_rows as (

    select count(*) as row_count from {{ ref('quarantine_users') }}

),

final as (

    select
        raw_rows.row_count as raw_row_count,
        profiles.row_count as profile_count,
        quarantined_rows.row_count as quarantined_row_count
    from raw_rows
    cross join profiles
    cross join quarantined_rows

)

select * from final
where raw_row_count <> profile_count + quarantined_row_count
