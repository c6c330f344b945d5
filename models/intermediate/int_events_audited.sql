{#- Every raw event row with the reason it cannot be used (see _intermediate__models.yml). -#}
{{ cohortwise._audited_events() }}
