{#- Viewed, added and ordered in one product category, per device, by platform. -#}
{#- incremental: a run recomputes only the entities with events in the newest days -#}
{{ config(materialized='incremental') }}
{{ cohortwise.funnel(
    steps=['view_item', 'add_to_cart', 'place_order'],
    window='2 hours',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
    entity='device_id',
    breakdown={'event_property': 'platform'},
    hold_constant='product_category',
) }}
