{#-
    cohortwise.retention_drilldown: the entities behind one retention cell, with their user
    attributes (when the analysis counts users), as one select:
        period_number=none   the cohort's initial members
        period_number=p      the members retained in period p (returned in p; with on_or_after, in
                             p or later)
    cohort_period is the cohort's first day, 'YYYY-MM-DD'. Used by analyses/retention_drilldown.sql.
-#}
{% macro retention_drilldown(retention_model, cohort_period, period_number=none) -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ ref(retention_model) ~ ' cross join ' ~ ref('cohortwise', 'dim_users')) }}
    {%- endif -%}
    {%- set d = cohortwise._analysis_definition(retention_model, 'retention') -%}
    {%- do cohortwise._check_date(cohort_period, 'cohort_period') -%}
    {%- if period_number is not none and (period_number is not number or period_number != (period_number | int)
        or period_number < 0 or period_number > d.periods) -%}
        {{ cohortwise._argument_error('period_number', 'must be a period from 0 to ' ~ d.periods ~ ' or none; got '
            ~ (period_number | string)) }}
    {%- endif -%}
    {%- if period_number is none -%}
        {%- set condition = 'retention.period_number = 0' -%}
    {%- elif d.criterion == 'on_or_after' -%}
        {%- set condition = 'retention.period_number = 0 and retention.last_return_period >= ' ~ period_number -%}
    {%- else -%}
        {%- set condition = 'retention.period_number = ' ~ period_number ~ ' and ' ~ cohortwise.is_true('retention.is_retained') -%}
    {%- endif -%}
{{ cohortwise._select_with_user_attributes(ref(retention_model), 'retention', d.entity) }}
where
    retention.cohort_period = cast({{ cohortwise.literal(cohort_period) }} as date)
    and {{ condition }}
{%- endmacro %}
