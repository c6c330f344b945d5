{#- From a viewed item to an order without searching again between the cart and the order. -#}
{#- incremental: a run recomputes only the entities with events in the newest days -#}
{{ config(materialized='incremental') }}
{{ cohortwise.funnel(
    steps=['view_item', 'add_to_cart', 'place_order'],
    window='1 day',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
    exclusions=[{'event': 'search', 'between': [2, 3]}],
) }}
