select id from events where event_name ilike 'view%'
