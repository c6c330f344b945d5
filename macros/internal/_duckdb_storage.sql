{#-
    DuckDB: a model can keep some columns uncompressed on disk, named in its config as
    `cohortwise_uncompressed_columns`. DuckDB's default string compression (dictionary + FSST)
    costs most on nearly unique values such as event ids, and saves least there: on 10 M audited
    events, the event ids take 65 MB compressed and 119 MB plain, but compressing them costs about
    3 s of CPU (a whole 10 M-row table of ids and raw times: 54 s of CPU against 41 s). So the
    event-level tables keep their ids plain; their low-cardinality columns and the JSON properties
    stay compressed.

    DuckDB takes a column's compression only from a CREATE TABLE that lists the columns (no ALTER
    and no CTAS form), so this override of the adapter's create_table_as reads the model's columns
    from DESCRIBE (binding only, nothing runs), creates the empty table with them and inserts the
    rows, each after the model's sql_header as the adapter's macro puts it. Every other table, and
    every temporary one (an incremental batch), is created by the adapter's own macro. An
    incremental run inserts into the table it created, so the columns stay plain; a table built
    before keeps its compression until `--full-refresh`.

    This macro takes effect where cohortwise is the root project (dbt looks up the dbt namespace's
    adapter macros in the root project first); as an installed package it changes nothing.
-#}
{% macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- set plain = config.get('cohortwise_uncompressed_columns') or [] -%}
    {%- set contract = config.get('contract') -%}
    {%- if temporary or language != 'sql' or plain | length == 0 or partitioned_by or sorted_by
        or (contract is not none and contract.enforced) or not execute -%}
        {{ return(dbt.duckdb__create_table_as(temporary, relation, compiled_code, language,
            partitioned_by=partitioned_by, sorted_by=sorted_by)) }}
    {%- endif -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {%- set header = (sql_header ~ '\n') if sql_header is not none else '' -%}
    {%- set described = run_query(header ~ 'describe select * from (\n' ~ compiled_code ~ '\n) as model_subq') -%}
    {%- set names = described.columns[0].values() -%}
    {%- set types = described.columns[1].values() -%}
    {%- for name in plain -%}
        {%- if name not in names -%}
            {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ "model " ~ model.name
                ~ ": cohortwise_uncompressed_columns names '" ~ name
                ~ "', which the model does not select; its columns are " ~ names | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for i in range(names | length) -%}
        {%- do columns.append(adapter.quote(names[i]) ~ ' ' ~ types[i]
            ~ (' using compression uncompressed' if names[i] in plain else '')) -%}
    {%- endfor %}
    {{ sql_header if sql_header is not none }}
    create table {{ relation }} (
        {{ columns | join(',\n        ') }}
    );
    insert into {{ relation }}
    select * from (
        {{ compiled_code }}
    ) as model_subq;
{%- endmacro %}
