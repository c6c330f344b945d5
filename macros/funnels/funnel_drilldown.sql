{#-
    cohortwise.funnel_drilldown: the entities behind one number of a funnel, with their user
    attributes (when the funnel counts users), as one select:
        drill='converted', step=k   reached step k or further   (step_reached >= k)
        drill='dropped',   step=k   stopped at step k, k < n    (step_reached = k)
        drill='dropoff'             did not finish the funnel   (step_reached < n)
    Used by analyses/funnel_drilldown.sql and the runner's drill command.
-#}
{% macro funnel_drilldown(funnel_model, drill='converted', step=none) -%}
    {%- if not execute -%}
        {#- parsing: only the dependencies matter; the definition is read once the graph exists -#}
        {{ return('select * from ' ~ ref(funnel_model) ~ ' cross join ' ~ ref('cohortwise', 'dim_users')) }}
    {%- endif -%}
    {%- set definition = cohortwise._analysis_definition(funnel_model, 'funnel') -%}
    {%- set n = definition.steps | length -%}
    {%- if drill not in ('converted', 'dropped', 'dropoff') -%}
        {{ cohortwise._argument_error('drill', "must be converted, dropped or dropoff; got " ~ (drill | string)) }}
    {%- endif -%}
    {%- if drill != 'dropoff' -%}
        {%- if step is not number or step != (step | int) or step < 1 or step > n or (drill == 'dropped' and step == n) -%}
            {{ cohortwise._argument_error('step', 'must be a step number from 1 to ' ~ (n if drill == 'converted' else n - 1)
                ~ ' for ' ~ drill ~ '; got ' ~ (step | string)) }}
        {%- endif -%}
    {%- endif -%}
    {%- set condition = {
        'converted': 'funnel.step_reached >= ' ~ (step | int if step is number else 0),
        'dropped': 'funnel.step_reached = ' ~ (step | int if step is number else 0),
        'dropoff': 'funnel.step_reached < ' ~ n,
    }[drill] -%}
{{ cohortwise._select_with_user_attributes(ref(funnel_model), 'funnel', definition.entity) }}
where {{ condition }}
{%- endmacro %}
