{#- The first two rows by score, ties broken by id: ids 5 (score 50) and 2 (score 40, before id 4). -#}
with scores as (

    select
        1 as id,
        10 as score
    union all
    select
        2 as id,
        40 as score
    union all
    select
        3 as id,
        30 as score
    union all
    select
        4 as id,
        40 as score
    union all
    select
        5 as id,
        50 as score

),

top_rows as (

    {{ cohortwise.top_n('select id, score from scores', 2, 'score desc, id asc') }}

),

summary as (

    select
        count(*) as row_count,
        sum(id) as id_sum,
        min(id) as min_id
    from top_rows

)

select * from summary
where row_count <> 2 or id_sum <> 7 or min_id <> 2
