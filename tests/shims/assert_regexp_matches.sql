{#- Anchored patterns match the whole text. SQL Server has no regular expressions (nothing to test). -#}
{%- if target.type == 'sqlserver' %}
select 1 as nothing_to_check
where 1 = 0
{%- else %}
with texts as (

    select
        'abc-123' as value_text,
        1 as expected
    union all
    select
        '1abc-123' as value_text,
        0 as expected
    union all
    select
        'abc-1234' as value_text,
        0 as expected

),

checked as (

    select
        value_text,
        expected,
        case when {{ cohortwise.regexp_matches('value_text', '^[a-z]+-[0-9]{3}$') }} then 1 else 0 end as actual
    from texts

)

select * from checked
where actual <> expected
{%- endif %}
