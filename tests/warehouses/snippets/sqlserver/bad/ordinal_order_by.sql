select id, name from events order by 2
