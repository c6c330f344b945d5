with a as (select 1 as x), b as (select x from a) select x from b
