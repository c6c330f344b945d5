with outer_cte as (with inner_cte as (select 1 as x) select x from inner_cte) select x from outer_cte
