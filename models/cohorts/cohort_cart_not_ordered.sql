{#- Added to the cart but placed no order: the drop-off at step 2 of the purchase funnel, recomputed on every build. -#}
{{ cohortwise.result_cohort('funnel_purchase', {'drill': 'dropped', 'step': 2}) }}
