{#- Arguments every analysis takes the same way: breakdown and cohort filters, validated. -#}

{#- {'event_property': name} | {'user_attribute': name} | none -> {'kind', 'name'} | none -#}
{% macro _breakdown_argument(breakdown, entity) -%}
    {%- if breakdown is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if breakdown is not mapping or breakdown | length != 1
        or (breakdown.keys() | list)[0] not in ('event_property', 'user_attribute') -%}
        {{ cohortwise._argument_error('breakdown', "must be {'event_property': name} or {'user_attribute': name}; got "
            ~ (breakdown | string)) }}
    {%- endif -%}
    {%- set kind = (breakdown.keys() | list)[0] -%}
    {%- set name = breakdown[kind] -%}
    {%- if name is not string or name | trim == '' -%}
        {{ cohortwise._argument_error('breakdown.' ~ kind, 'must be a name') }}
    {%- endif -%}
    {%- if kind == 'user_attribute' -%}
        {%- if entity != 'user_id' -%}
            {{ cohortwise._argument_error('breakdown.user_attribute', 'needs entity user_id (the analysis counts '
                ~ entity ~ ')') }}
        {%- endif -%}
        {%- set known = cohortwise._user_attributes() + ['signed_up_at'] -%}
        {%- if name not in known -%}
            {{ cohortwise._argument_error('breakdown.user_attribute', "unknown user attribute '" ~ name
                ~ "'; expected one of " ~ known | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
    {{ return({'kind': kind, 'name': name}) }}
{%- endmacro %}

{#- {'in': [models], 'not_in': [models]} | none -> {'in': [...], 'not_in': [...]} -#}
{% macro _cohorts_argument(cohorts) -%}
    {%- set cohort_spec = {'in': [], 'not_in': []} -%}
    {%- if cohorts is none -%}
        {{ return(cohort_spec) }}
    {%- endif -%}
    {%- if cohorts is not mapping -%}
        {{ cohortwise._argument_error('cohorts', "must be {'in': [models], 'not_in': [models]}") }}
    {%- endif -%}
    {%- for key, models in cohorts.items() -%}
        {%- if key not in ('in', 'not_in') -%}
            {{ cohortwise._argument_error('cohorts', "unknown key '" ~ key ~ "'; expected in, not_in") }}
        {%- endif -%}
        {%- set models = [models] if models is string else models -%}
        {%- for model_name in models -%}
            {%- if model_name is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', model_name) -%}
                {{ cohortwise._argument_error('cohorts.' ~ key, 'must list model names; got ' ~ (model_name | string)) }}
            {%- endif -%}
            {%- do cohort_spec[key].append(model_name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(cohort_spec) }}
{%- endmacro %}

{#- the `and ...` conditions that keep only rows whose entity is in / not in the cohort models -#}
{% macro _cohort_filter(cohorts, entity_column, relation_alias) -%}
    {%- set conditions = [] -%}
    {%- for cohort in cohorts['in'] -%}
        {%- do conditions.append('and ' ~ entity_column ~ ' in (select cohort.entity_id from ' ~ ref(cohort) ~ ' as cohort)') -%}
    {%- endfor -%}
    {%- for cohort in cohorts['not_in'] -%}
        {%- do conditions.append('and not exists (select 1 from ' ~ ref(cohort) ~ ' as cohort where cohort.entity_id = '
            ~ relation_alias ~ '.' ~ entity_column ~ ')') -%}
    {%- endfor -%}
    {{ return(conditions | join('\n        ')) }}
{%- endmacro %}

{#- the SQL of a breakdown value read from an event row (event property), as text; null otherwise -#}
{% macro _event_breakdown_expression(breakdown) -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- if breakdown and breakdown.kind == 'event_property' -%}
        {{ return('cast(' ~ cohortwise._property_expression(breakdown.name, 'text') ~ ' as ' ~ text_type ~ ')') }}
    {%- endif -%}
    {{ return('cast(null as ' ~ text_type ~ ')') }}
{%- endmacro %}
