{#-
    The March campaign's cart buyers (Berlin days): paid within a day of adding to the cart in
    March 2024, and either spent 40 or more since March or first came in its first week; opened the
    app at least twice. Fixed windows: the same members at any computation time after March.
-#}
{{ cohortwise.behavioral_cohort({'all': [
    {'sequence': ['add_to_cart', 'pay_order'], 'within': '1 day', 'window': {'between': ['2024-03-01', '2024-03-31']}},
    {'any': [
        {'aggregate': 'sum', 'property': 'amount', 'event': 'pay_order', 'op': '>=', 'value': 40,
         'window': {'since': '2024-03-01'}},
        {'first_time': '*', 'window': {'between': ['2024-03-01', '2024-03-07']}},
    ]},
    {'did': 'app_open', 'count': {'op': '>=', 'value': 2}},
]}) }}
