{#- The purchase path: view an item, add it to the cart, order, pay, within a day. -#}
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
