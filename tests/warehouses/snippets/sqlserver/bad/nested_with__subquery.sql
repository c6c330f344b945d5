select a from (with x as (select 1 as a) select a from x) as t
