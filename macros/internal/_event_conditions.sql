{#-
    Event specifications shared by every analysis: an event name ('*' for any event) with an optional
    list of property conditions, all of which must hold. A property is a promoted column of fct_events when
    `cohortwise__promoted_properties` lists it, else read from the JSON properties.

        'view_item'
        {'event': 'add_to_cart', 'name': 'Added to cart',
         'where': [{'property': 'product_category', 'op': 'in', 'value': ['shoes', 'books']},
                   {'property': 'amount', 'op': '>=', 'value': 20},
                   {'property': 'coupon', 'op': 'is not null', 'type': 'text'}]}
-#}

{% macro _operators() -%}
    {{ return(['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'contains', 'is null', 'is not null']) }}
{%- endmacro %}

{#- the normalized form {event, label, where} of one event specification, validated -#}
{% macro _event_spec(spec, argument) -%}
    {%- if spec is string -%}
        {%- set spec = {'event': spec} -%}
    {%- endif -%}
    {%- if spec is not mapping -%}
        {{ cohortwise._argument_error(argument, "must be an event name or a mapping with 'event'; got "
            ~ (spec | string)) }}
    {%- endif -%}
    {%- for key in spec -%}
        {%- if key not in ('event', 'name', 'where') -%}
            {{ cohortwise._argument_error(argument, "unknown key '" ~ key ~ "'; expected event, name, where") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set event = spec.get('event') -%}
    {%- if event is not string or event | trim == '' -%}
        {{ cohortwise._argument_error(argument ~ '.event', 'must be a non-empty event name; got ' ~ (event | string)) }}
    {%- endif -%}
    {%- set label = spec.get('name', 'any event' if event == '*' else event) -%}
    {%- if label is not string or label | trim == '' -%}
        {{ cohortwise._argument_error(argument ~ '.name', 'must be a non-empty display name') }}
    {%- endif -%}
    {%- set where = spec.get('where', []) or [] -%}
    {%- if where is mapping or where is string -%}
        {{ cohortwise._argument_error(argument ~ '.where', 'must be a list of property conditions') }}
    {%- endif -%}
    {%- for condition in where -%}
        {%- do cohortwise._check_property_condition(condition, argument ~ '.where[' ~ loop.index0 ~ ']') -%}
    {%- endfor -%}
    {{ return({'event': event, 'label': label, 'where': where}) }}
{%- endmacro %}

{#-
    A condition's operator checked against `operators`, and its values as a list: none for is
    null / is not null, the list for in / not in / between ([low, high]), else the one value.
-#}
{% macro _condition_values(condition, op, operators, argument) -%}
    {%- if op not in operators -%}
        {{ cohortwise._argument_error(argument ~ '.op', "unknown operator '" ~ (op | string) ~ "'; expected one of "
            ~ operators | join(', ')) }}
    {%- endif -%}
    {%- set value = condition.get('value') -%}
    {%- if op in ('is null', 'is not null') -%}
        {%- if 'value' in condition -%}
            {{ cohortwise._argument_error(argument ~ '.value', "operator '" ~ op ~ "' takes no value") }}
        {%- endif -%}
        {{ return([]) }}
    {%- elif op in ('in', 'not in', 'between') -%}
        {%- if value is string or value is mapping or value is not iterable or value | length == 0
            or (op == 'between' and value | length != 2) -%}
            {{ cohortwise._argument_error(argument ~ '.value', "operator '" ~ op ~ "' needs "
                ~ ('[low, high]' if op == 'between' else 'a non-empty list')) }}
        {%- endif -%}
        {{ return(value) }}
    {%- elif value is none or value is mapping or (value is iterable and value is not string) -%}
        {{ cohortwise._argument_error(argument ~ '.value', "operator '" ~ op ~ "' needs one value") }}
    {%- endif -%}
    {{ return([value]) }}
{%- endmacro %}

{% macro _check_property_condition(condition, argument) -%}
    {%- if condition is not mapping -%}
        {{ cohortwise._argument_error(argument, "must be a mapping with 'property', 'op' and 'value'") }}
    {%- endif -%}
    {%- for key in condition -%}
        {%- if key not in ('property', 'op', 'value', 'type') -%}
            {{ cohortwise._argument_error(argument, "unknown key '" ~ key ~ "'; expected property, op, value, type") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set property = condition.get('property') -%}
    {%- if property is not string or property | trim == '' -%}
        {{ cohortwise._argument_error(argument ~ '.property', 'must be a property name') }}
    {%- endif -%}
    {%- set op = condition.get('op', '=') -%}
    {%- do cohortwise._condition_values(condition, op, cohortwise._operators(), argument) -%}
    {%- if op == 'contains' and condition.get('value') is not string -%}
        {{ cohortwise._argument_error(argument ~ '.value', "operator 'contains' needs a text value") }}
    {%- endif -%}
    {%- set type_name = condition.get('type') -%}
    {%- if type_name is not none and type_name not in ('text', 'numeric', 'integer', 'float', 'boolean', 'timestamp') -%}
        {{ cohortwise._argument_error(argument ~ '.type', "unknown type '" ~ type_name
            ~ "'; expected text, numeric, integer, float, boolean or timestamp") }}
    {%- endif -%}
{%- endmacro %}

{#- the SQL expression of an event property: its promoted column, or read from the JSON -#}
{% macro _property_expression(property, type_name=none, relation_alias=none) -%}
    {%- set promoted = cohortwise._promoted_properties() -%}
    {%- set prefix = (relation_alias ~ '.') if relation_alias else '' -%}
    {%- if property in promoted -%}
        {{ return(prefix ~ adapter.quote(property)) }}
    {%- endif -%}
    {{ return(cohortwise.event_property(property, type_name or 'text', prefix ~ 'properties')) }}
{%- endmacro %}

{#- the type a JSON property is read as when the condition does not say: from its value -#}
{% macro _condition_type(condition) -%}
    {%- if condition.get('type') -%} {{ return(condition.type) }} {%- endif -%}
    {%- set value = condition.get('value') -%}
    {%- set sample = value[0] if (value is iterable and value is not string and value is not mapping) else value -%}
    {%- if sample is sameas true or sample is sameas false -%} {{ return('boolean') }}
    {%- elif sample is number -%} {{ return('numeric') }}
    {%- endif -%}
    {{ return('text') }}
{%- endmacro %}

{% macro _property_condition(condition, relation_alias=none) -%}
    {%- set op = condition.get('op', '=') -%}
    {%- set property = cohortwise._property_expression(condition.property, cohortwise._condition_type(condition), relation_alias) -%}
    {%- if op == 'is null' -%} {{ return(property ~ ' is null') }}
    {%- elif op == 'is not null' -%} {{ return(property ~ ' is not null') }}
    {%- elif op in ('in', 'not in') -%}
        {%- set values = [] -%}
        {%- for value in condition.value -%} {%- do values.append(cohortwise.literal(value)) -%} {%- endfor -%}
        {{ return(property ~ ' ' ~ op ~ ' (' ~ values | join(', ') ~ ')') }}
    {%- elif op == 'contains' -%}
        {{ return(dbt.position(cohortwise.literal(condition.value), property) ~ ' > 0') }}
    {%- elif op == '!=' -%}
        {{ return(property ~ ' <> ' ~ cohortwise.literal(condition.value)) }}
    {%- endif -%}
    {{ return(property ~ ' ' ~ op ~ ' ' ~ cohortwise.literal(condition.value)) }}
{%- endmacro %}

{#- the condition an event row must meet to match a normalized event spec ('*' = any event) -#}
{% macro _event_condition(spec, relation_alias=none) -%}
    {%- set prefix = (relation_alias ~ '.') if relation_alias else '' -%}
    {%- set parts = [] if spec.event == '*' else [prefix ~ 'event_name = ' ~ cohortwise.literal(spec.event)] -%}
    {%- if not parts and not spec.where -%}
        {{ return('(1 = 1)') }}
    {%- endif -%}
    {%- for condition in spec.where -%}
        {%- do parts.append('(' ~ cohortwise._property_condition(condition, relation_alias) ~ ')') -%}
    {%- endfor -%}
    {{ return('(' ~ parts | join(' and ') ~ ')') }}
{%- endmacro %}
