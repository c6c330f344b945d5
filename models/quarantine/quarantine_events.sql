{#- The quarantined raw event rows: int_events_audited where a reason applies (a view of it). -#}
{{ cohortwise.table_grants('detail') }}
{{ config(materialized='view') }}

with audited as (

    select * from {{ ref('int_events_audited') }}

),

final as (

    select
        quarantine_reason,
        event_id,
        user_id,
        device_id,
        account_id,
        event_name,
        event_time_raw,
        event_at,
        loaded_at,
        properties,
        partition_date
    from audited
    where quarantine_reason is not null

)

select * from final
