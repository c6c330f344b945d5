{#-
    Appends rows to cohort_run_log: called by the runner as
        dbt run-operation cohortwise.append_run_log --args '{rows: [{run_id: ..., cohort_name: ..., ...}]}'
    Every value goes through cohortwise.literal; column names are the table's own, checked here.
-#}
{% macro append_run_log(rows) -%}
    {%- set relation = ref('cohortwise', 'cohort_run_log') -%}
    {%- set columns = {'run_id': 'text', 'cohort_name': 'text', 'reason': 'text', 'computed_at': 'timestamp',
        'started_at': 'timestamp', 'finished_at': 'timestamp', 'status': 'text', 'members': 'integer',
        'previous_members': 'integer', 'definition_checksum': 'text', 'message': 'long_text'} -%}
    {%- if rows is string or rows is mapping or rows is not iterable or rows | length == 0 -%}
        {{ exceptions.raise_compiler_error('cohortwise.append_run_log: rows must be a non-empty list of mappings') }}
    {%- endif -%}
    {%- set selects = [] -%}
    {%- for row in rows -%}
        {%- set values = [] -%}
        {%- for key in row -%}
            {%- if key not in columns -%}
                {{ exceptions.raise_compiler_error("cohortwise.append_run_log: unknown column '" ~ key ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
        {%- for column, type_name in columns.items() -%}
            {%- do values.append('cast(' ~ cohortwise.literal(row.get(column)) ~ ' as ' ~ cohortwise.data_type(type_name) ~ ') as ' ~ column) -%}
        {%- endfor -%}
        {%- do selects.append('select ' ~ values | join(', ')) -%}
    {%- endfor -%}
    {%- call statement('append_run_log', auto_begin=True) -%}
insert into {{ relation }} ({{ columns.keys() | list | join(', ') }})
{{ selects | join('\nunion all\n') }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
{%- endmacro %}
