{#- Cart, order and payment with nothing in between, within an hour. -#}
{#- incremental: a run recomputes only the entities with events in the newest days -#}
{{ config(materialized='incremental') }}
{{ cohortwise.funnel(
    steps=['add_to_cart', 'place_order', 'pay_order'],
    window='1 hour',
    date_range={'from': '2024-01-01', 'to': '2024-04-01'},
    mode='strict',
) }}
