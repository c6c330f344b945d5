{#-
    Every raw event row with the reason it cannot be used, or null when it is clean (the SQL of
    int_events_audited). Reasons are checked in this order and a row gets the first that applies;
    among the rows that pass every other check, the first copy of an event_id by load order stays
    clean and later copies are duplicates.

    Incremental runs (int_events_audited) audit only a batch: the rows from `first_day` (a SQL date
    expression) on, plus every row without a usable time; a clean row whose event_id is already
    kept clean in `history` (the model itself) on an earlier day is a duplicate, as a full rebuild
    would judge it when the history's copy was loaded first.
-#}
{% macro _audited_events(first_day=none, history=none) -%}
with events as (
    {%- if first_day is none %}

    select * from {{ ref('cohortwise', 'stg_events') }}
    {%- else %}
    {#- the rows of stg_events on the days recomputed, filtered before their columns are parsed #}

    select staged.* from (
        {{ cohortwise._staged_events_select(where=cohortwise._raw_event_batch(first_day)) | indent(8) }}
    ) as staged
    {%- endif %}

),

checked as (

    select
        *,
        case
            when event_id is null then 'missing_event_id'
            when user_id is null and device_id is null and account_id is null then 'missing_entity_id'
            when event_name is null then 'missing_event_name'
            when event_time_raw is null or {{ cohortwise.trim_text('event_time_raw') }} = '' then 'missing_event_time'
            when event_at is null then 'unparseable_event_time'
            when event_at > {{ cohortwise.timestamp_add(
                'second', cohortwise._future_tolerance_seconds(), cohortwise.current_timestamp_utc()) }}
                then 'future_event_time'
            when properties is not null and not {{ cohortwise.is_valid_json('properties') }}
                then 'invalid_properties'
        end as row_quarantine_reason,
        coalesce(cast(event_at as date), cast('0001-01-01' as date)) as partition_date
    from events

),

ranked as (

    select
        *,
        row_number() over (
            partition by
                event_id,
                case when row_quarantine_reason is null then 0 else 1 end
            order by
                case when loaded_at is null then 1 else 0 end,
                loaded_at,
                event_at,
                event_name,
                user_id,
                device_id,
                account_id,
                properties
        ) as load_rank
    from checked

),

final as (

    select
        event_id,
        user_id,
        device_id,
        account_id,
        event_name,
        event_time_raw,
        event_at,
        loaded_at,
        properties,
        coalesce(
            row_quarantine_reason,
            case when load_rank > 1 then 'duplicate_event_id' end
            {%- if history is not none %},
            case when exists (
                select 1 from {{ history }} as kept
                where
                    kept.event_id = ranked.event_id
                    and kept.quarantine_reason is null
                    and kept.partition_date < {{ first_day }}
            ) then 'duplicate_event_id' end
            {%- endif %}
        ) as quarantine_reason,
        partition_date
    from ranked

)

select * from final
{%- endmacro %}
