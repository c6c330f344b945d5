select id from events where (id = 1
