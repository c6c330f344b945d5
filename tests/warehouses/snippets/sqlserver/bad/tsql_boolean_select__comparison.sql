select id, amount > 10 as is_big from events
