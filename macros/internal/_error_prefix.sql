{#- "In model 'x': " for compiler errors, so that every message names the model being compiled. -#}
{% macro _error_prefix() -%}
    {%- if model is defined and model is mapping and model.get('name') -%}
        {{ return("cohortwise: in model '" ~ model.name ~ "': ") }}
    {%- endif -%}
    {{ return('cohortwise: ') }}
{%- endmacro %}
