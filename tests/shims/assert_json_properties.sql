{#- JSON validity and property access, including a value that needs escaping. -#}
{%- set document = '{"amount": 12.5, "label": "O\'Brien\'s", "count": "3", "flag": true, '
    ~ '"nested": {"a": 1}, "none": null}' -%}

with documents as (

    select
        1 as case_number,
        {{ cohortwise.literal(document) }} as properties
    union all
    select
        2 as case_number,
        {{ cohortwise.literal('{"amount": 12.5') }} as properties

),

read_back as (

    select
        case_number,
        case when {{ cohortwise.is_valid_json('properties') }} then 1 else 0 end as is_valid,
        case
            when {{ cohortwise.is_valid_json('properties') }} then
                {{ cohortwise.event_property('amount', 'numeric') }}
        end as amount,
        case
            when {{ cohortwise.is_valid_json('properties') }} then
                {{ cohortwise.event_property('label') }}
        end as label_text,
        case
            when {{ cohortwise.is_valid_json('properties') }} then
                {{ cohortwise.event_property('count', 'integer') }}
        end as item_count,
        case
            when {{ cohortwise.is_valid_json('properties') }} then
                {{ cohortwise.event_property('missing') }}
        end as missing_value,
        case
            when {{ cohortwise.is_valid_json('properties') }} then
                {{ cohortwise.event_property('none') }}
        end as json_null
    from documents

)

select * from read_back
where
    (case_number = 1 and not (
        is_valid = 1
        and amount = 12.5
        and label_text = {{ cohortwise.literal("O'Brien's") }}
        and item_count = 3
        and missing_value is null
        and json_null is null
    ))
    or (case_number = 2 and is_valid <> 0)
