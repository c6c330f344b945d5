select id from events where is_active = true
