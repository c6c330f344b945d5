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

{#-
    User-attribute conditions (segments, cohorts): {'attribute': name, 'op': operator, 'value': ...}
    on a dim_users column. Text attributes are the project's user attributes; signed_up_at,
    first_seen_at and last_seen_at compare with 'YYYY-MM-DD[ HH:MM:SS]' texts; events_count,
    devices_count and accounts_count with numbers. between takes [low, high], both included.
-#}
{% macro _user_attribute_types() -%}
    {%- set types = {'signed_up_at': 'timestamp', 'first_seen_at': 'timestamp', 'last_seen_at': 'timestamp',
        'events_count': 'numeric', 'devices_count': 'numeric', 'accounts_count': 'numeric'} -%}
    {%- for attribute in cohortwise._user_attributes() -%}
        {%- do types.update({attribute: 'text'}) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}

{% macro _check_user_condition(condition, argument) -%}
    {%- set operators = cohortwise._operators() + ['between'] -%}
    {%- if condition is not mapping -%}
        {{ cohortwise._argument_error(argument, "must be a mapping with 'attribute', 'op' and 'value'") }}
    {%- endif -%}
    {%- for key in condition -%}
        {%- if key not in ('attribute', 'op', 'value') -%}
            {{ cohortwise._argument_error(argument, "unknown key '" ~ key ~ "'; expected attribute, op, value") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set types = cohortwise._user_attribute_types() -%}
    {%- set attribute = condition.get('attribute') -%}
    {%- if attribute not in types -%}
        {{ cohortwise._argument_error(argument ~ '.attribute', "unknown user attribute '" ~ (attribute | string)
            ~ "'; expected one of " ~ types.keys() | list | join(', ')) }}
    {%- endif -%}
    {%- set op = condition.get('op', '=') -%}
    {%- set values = cohortwise._condition_values(condition, op, operators, argument) -%}
    {%- set value = condition.get('value') -%}
    {%- if op == 'contains' and (types[attribute] != 'text' or value is not string) -%}
        {{ cohortwise._argument_error(argument ~ '.op', "'contains' needs a text attribute and a text value") }}
    {%- endif -%}
    {%- for item in values -%}
        {%- if types[attribute] == 'numeric' and (item is not number or item is sameas true or item is sameas false) -%}
            {{ cohortwise._argument_error(argument ~ '.value', "'" ~ attribute ~ "' is a number; got " ~ (item | string)) }}
        {%- elif types[attribute] == 'timestamp' and (item is not string
            or not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$', item)) -%}
            {{ cohortwise._argument_error(argument ~ '.value', "'" ~ attribute ~ "' is a time: give 'YYYY-MM-DD[ HH:MM:SS]'; got "
                ~ (item | string)) }}
        {%- elif types[attribute] == 'text' and item is not string and item is not number -%}
            {{ cohortwise._argument_error(argument ~ '.value', "'" ~ attribute ~ "' is text; got " ~ (item | string)) }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- the SQL condition of a checked user-attribute condition on a dim_users alias -#}
{% macro _user_condition(condition, relation_alias) -%}
    {%- set types = cohortwise._user_attribute_types() -%}
    {%- set kind = types[condition.attribute] -%}
    {%- set column = relation_alias ~ '.' ~ adapter.quote(condition.attribute) -%}
    {%- set op = condition.get('op', '=') -%}
    {%- set rendered = [] -%}
    {%- set value = condition.get('value') -%}
    {%- for item in (value if op in ('in', 'not in', 'between') else ([value] if value is not none else [])) -%}
        {%- if kind == 'timestamp' -%}
            {%- do rendered.append('cast(' ~ cohortwise.literal(item) ~ ' as ' ~ cohortwise.data_type('timestamp') ~ ')') -%}
        {%- elif kind == 'text' -%}
            {%- do rendered.append(cohortwise.literal(item | string)) -%}
        {%- else -%}
            {%- do rendered.append(cohortwise.literal(item)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if op == 'is null' -%} {{ return(column ~ ' is null') }}
    {%- elif op == 'is not null' -%} {{ return(column ~ ' is not null') }}
    {%- elif op in ('in', 'not in') -%} {{ return(column ~ ' ' ~ op ~ ' (' ~ rendered | join(', ') ~ ')') }}
    {%- elif op == 'between' -%} {{ return(column ~ ' between ' ~ rendered[0] ~ ' and ' ~ rendered[1]) }}
    {%- elif op == 'contains' -%} {{ return(dbt.position(rendered[0], column) ~ ' > 0') }}
    {%- elif op == '!=' -%} {{ return(column ~ ' <> ' ~ rendered[0]) }}
    {%- endif -%}
    {{ return(column ~ ' ' ~ op ~ ' ' ~ rendered[0]) }}
{%- endmacro %}

{#-
    `select <alias>.*` from a relation of an analysis' entities, with the user attributes of
    dim_users beside them when the analysis counts users: the start of every drill-down query
    (the caller adds its where clause).
-#}
{% macro _select_with_user_attributes(relation, alias, entity) -%}
select
    {{ alias }}.*
    {%- if entity == 'user_id' %},
    users.signed_up_at
    {%- for attribute in cohortwise._user_attributes() %},
    users.{{ adapter.quote(attribute) }}
    {%- endfor %}
    {%- endif %}
from {{ relation }} as {{ alias }}
{%- if entity == 'user_id' %}
left join {{ ref('cohortwise', 'dim_users') }} as users
    on {{ alias }}.entity_id = users.user_id
{%- endif %}
{%- endmacro %}
