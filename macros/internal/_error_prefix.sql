{#- "In model 'x': " for compiler errors, so that every message names the model being compiled. -#}
{% macro _error_prefix() -%}
    {%- if model is defined and model is mapping and model.get('name') -%}
        {{ return("cohortwise: in model '" ~ model.name ~ "': ") }}
    {%- endif -%}
    {{ return('cohortwise: ') }}
{%- endmacro %}

{#- A compile error about one argument of an analysis macro: names the model and the argument path. -#}
{% macro _argument_error(argument, message) -%}
    {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ "argument '" ~ argument ~ "': " ~ message) }}
{%- endmacro %}
