{{ cohortwise.table_grants('detail') }}
{{ cohortwise._staged_events_select() }}
