{#- A SQL cohort: users who have paid for an order (one entity_id per member). -#}
select distinct user_id as entity_id
from {{ ref('fct_events') }}
where
    event_name = 'pay_order'
    and user_id is not null
