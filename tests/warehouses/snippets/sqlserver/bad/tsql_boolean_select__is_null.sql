select id, (user_id is null) as is_anonymous from events
