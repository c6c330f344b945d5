{#- The purchase path: view an item, add it to the cart, order, pay, within a day. -#}
{#- incremental: a run recomputes only the entities with events in the newest days -#}
{{ config(materialized='incremental') }}
{{ cohortwise.funnel(
    steps=[
        {'event': 'view_item', 'name': 'Viewed an item'},
        {'event': 'add_to_cart', 'name': 'Added to cart'},
        {'event': 'place_order', 'name': 'Placed an order'},
        {'event': 'pay_order', 'name': 'Paid'},
    ],
    window='1 day',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
) }}
