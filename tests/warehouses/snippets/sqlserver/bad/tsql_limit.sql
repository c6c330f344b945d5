select id from events order by id limit 10
