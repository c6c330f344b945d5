{#- A SQL cohort: users who have paid for an order (one row per member). -#}
{{ cohortwise.table_grants('cohort') }}
select distinct
    user_id as entity_id,
    {{ cohortwise.computed_at() }} as computed_at
from {{ ref('fct_events') }}
where
    event_name = 'pay_order'
    and user_id is not null
    and event_at <= {{ cohortwise.computed_at() }}
