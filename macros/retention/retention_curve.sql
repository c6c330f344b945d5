{#-
    cohortwise.retention_curve: the average retention curve of a retention report, one row per
    breakdown value and period number, over complete cells only:

        {{ cohortwise.retention_curve('rpt_retention_weekly') }}

    cohorts counts the complete cells of that period; weighted_retention_rate is the sum of their
    retained entities over the sum of their cohort sizes (each cohort weighs by its size); null when
    no cell of that period is complete yet.
-#}
{% macro retention_curve(retention_report_model) -%}
    {{ config(meta={'cohortwise': {'analysis': 'retention_curve', 'retention_report_model': retention_report_model}}) }}
    {{ cohortwise.table_grants('report') }}
with report as (

    select * from {{ ref(retention_report_model) }}

),

final as (

    select
        breakdown_value,
        period_number,
        cast(sum(case when {{ cohortwise.is_true('is_complete') }} then 1 else 0 end) as {{ dbt.type_bigint() }})
            as cohorts,
        {{ cohortwise.safe_divide(
            'sum(case when ' ~ cohortwise.is_true('is_complete') ~ ' then retained_entities end)',
            'sum(case when ' ~ cohortwise.is_true('is_complete') ~ ' then cohort_size end)') }}
            as weighted_retention_rate
    from report
    group by breakdown_value, period_number

)

select * from final
{%- endmacro %}
