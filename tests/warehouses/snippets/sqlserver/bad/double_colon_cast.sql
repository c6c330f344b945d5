select id::int as id_number from events
