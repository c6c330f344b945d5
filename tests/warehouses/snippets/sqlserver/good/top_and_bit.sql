select top (10) id, case when amount > 10 then cast(1 as bit) else cast(0 as bit) end as is_big from events order by id
