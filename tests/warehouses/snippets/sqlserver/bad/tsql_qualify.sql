select id from events qualify row_number() over (partition by user_id order by id) = 1
