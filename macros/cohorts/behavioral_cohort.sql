{#-
    cohortwise.behavioral_cohort: the entities that meet a tree of rules as of the computation
    time (cohortwise__as_of, or the start of the dbt run), in the cohort's time zone (DESIGN.md
    3.5). Entity and time zone come from the model's meta.cohortwise; the model holds one row per
    member: entity_id, computed_at.

        {{ cohortwise.behavioral_cohort({'all': [
            {'did': 'pay_order', 'count': {'op': '>=', 'value': 3}, 'window': {'last_days': 30}},
            {'any': [
                {'attribute': 'country', 'op': 'in', 'value': ['US', 'CA']},
                {'in_cohort': 'cohort_paying_users'},
            ]},
            {'did_not': 'app_open', 'window': 'today'},
        ]}) }}

    Groups: {'all': [rules]} (every rule holds), {'any': [rules]} (at least one), nestable.
    Rules (an event is a name, '*' or {'event', 'where': [property conditions]}):
    - {'did': E, 'count': {'op', 'value'}, 'window': W}: the number of E in W compares with value
      (=, !=, >, >=, <, <=; default >= 1).
    - {'did_not': E, 'window': W}: no E in W (entities without any event included).
    - {'aggregate': sum|avg|min|max|count_distinct, 'property': p, 'event': E (default '*'),
      'op', 'value', 'window': W}: the aggregate of p over E in W compares with value (between
      takes [low, high]); sum and count_distinct of nothing are 0, avg/min/max of nothing match nothing.
    - {'first_time': E, 'window': W}: the entity's first E ever happened in W.
    - {'sequence': [A, B], 'within': X, 'window': W}: an A then a B (another event at the same
      time or later) at most X later ('30 minutes', '1 day', seconds), both in W.
    - {'not_sequence': [A, B], 'within': X, 'window': W}: no such pair.
    - {'stopped': E, 'earlier': W1, 'recent': W2}: did E in W1 and not in W2.
    - {'attribute': a, 'op', 'value'}: a user attribute of dim_users (entity user_id).
    - {'in_cohort': model} / {'not_in_cohort': model}: membership of another cohort of the same entity.
    Windows W (default: all history up to the computation time), in the cohort's time zone and
    never later than the computation time: {'last_days': N} (today and the N - 1 days before),
    {'last_hours': N} (the N hours before the computation time), {'between': [from, to]} (dates,
    both included), {'since': date}, 'today', 'yesterday'.
    A malformed rule fails at compile time naming the model and the rule's path, e.g.
    rules.all[1].any[0].window.
-#}
{% macro behavioral_cohort(rules) -%}
    {{- cohortwise.table_grants('cohort') -}}
    {%- set references = [] -%}
    {%- set tree = cohortwise._cohort_rule(rules, 'rules', references) -%}
    {%- if not execute -%}
        {#- parsing: declare every dependency; the entity and zone are read from meta once it is known -#}
        {%- set parts = ['select * from ' ~ ref('cohortwise', 'fct_events'), 'select * from ' ~ ref('cohortwise', 'dim_users')] -%}
        {%- for cohort in references -%}
            {%- do parts.append('select * from ' ~ ref(cohort)) -%}
        {%- endfor -%}
        {{ return(parts | join('\nunion all\n')) }}
    {%- endif -%}
    {%- set settings = cohortwise._this_cohort('behavioral') -%}
    {%- do cohortwise._check_cohort_rules_entity(tree, settings.entity, 'rules') -%}
    {{ return(cohortwise._behavioral_cohort_sql(tree, settings)) }}
{%- endmacro %}


{#- the normalized rule tree: groups {'kind': 'all'|'any', 'rules'} and leaf rules with 'kind' and 'path' -#}
{% macro _cohort_rule(rule, path, references) -%}
    {%- if rule is not mapping or rule | length == 0 -%}
        {{ cohortwise._argument_error(path, "must be a rule or {'all': [rules]} / {'any': [rules]}; got " ~ (rule | string)) }}
    {%- endif -%}
    {%- set kinds = ['all', 'any', 'did', 'did_not', 'aggregate', 'first_time', 'sequence', 'not_sequence', 'stopped',
        'attribute', 'in_cohort', 'not_in_cohort'] -%}
    {%- set found = [] -%}
    {%- for key in rule -%}
        {%- if key in kinds -%} {%- do found.append(key) -%} {%- endif -%}
    {%- endfor -%}
    {%- if found | length != 1 -%}
        {{ cohortwise._argument_error(path, 'must have exactly one of ' ~ kinds | join(', ') ~ '; got keys '
            ~ rule.keys() | list | join(', ')) }}
    {%- endif -%}
    {%- set kind = found[0] -%}
    {%- set allowed = {
        'all': ['all'], 'any': ['any'],
        'did': ['did', 'count', 'window'], 'did_not': ['did_not', 'window'],
        'aggregate': ['aggregate', 'property', 'event', 'op', 'value', 'window', 'type'],
        'first_time': ['first_time', 'window'],
        'sequence': ['sequence', 'within', 'window'], 'not_sequence': ['not_sequence', 'within', 'window'],
        'stopped': ['stopped', 'earlier', 'recent'],
        'attribute': ['attribute', 'op', 'value'],
        'in_cohort': ['in_cohort'], 'not_in_cohort': ['not_in_cohort'],
    }[kind] -%}
    {%- for key in rule -%}
        {%- if key not in allowed -%}
            {{ cohortwise._argument_error(path, "unknown key '" ~ key ~ "' for a '" ~ kind ~ "' rule; expected "
                ~ allowed | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if kind in ('all', 'any') -%}
        {%- set children = rule[kind] -%}
        {%- if children is string or children is mapping or children is not iterable or children | length == 0 -%}
            {{ cohortwise._argument_error(path ~ '.' ~ kind, 'must be a non-empty list of rules') }}
        {%- endif -%}
        {%- set normalized = [] -%}
        {%- for child in children -%}
            {%- do normalized.append(cohortwise._cohort_rule(child, path ~ '.' ~ kind ~ '[' ~ loop.index0 ~ ']', references)) -%}
        {%- endfor -%}
        {{ return({'kind': kind, 'rules': normalized, 'path': path}) }}
    {%- elif kind in ('did', 'did_not', 'first_time') -%}
        {%- set leaf = {'kind': kind, 'path': path, 'event': cohortwise._event_spec(rule[kind], path ~ '.' ~ kind),
            'window': cohortwise._cohort_window(rule.get('window'), path ~ '.window')} -%}
        {%- if kind == 'did' -%}
            {%- set count = rule.get('count', {'op': '>=', 'value': 1}) -%}
            {%- if count is not mapping or count.keys() | list | sort != ['op', 'value'] -%}
                {{ cohortwise._argument_error(path ~ '.count', "must be {'op': ..., 'value': N}; got " ~ (count | string)) }}
            {%- endif -%}
            {%- if count.op not in ('=', '!=', '>', '>=', '<', '<=') -%}
                {{ cohortwise._argument_error(path ~ '.count.op', "must be =, !=, >, >=, < or <=; got " ~ (count.op | string)) }}
            {%- endif -%}
            {%- if count.value is not number or count.value is sameas true or count.value is sameas false
                or count.value != (count.value | int) or count.value < 0 -%}
                {{ cohortwise._argument_error(path ~ '.count.value', 'must be a whole number >= 0; got ' ~ (count.value | string)) }}
            {%- endif -%}
            {%- do leaf.update({'count': {'op': count.op, 'value': count.value | int}}) -%}
        {%- endif -%}
        {{ return(leaf) }}
    {%- elif kind == 'aggregate' -%}
        {%- set function = rule.aggregate -%}
        {%- if function not in ('sum', 'avg', 'min', 'max', 'count_distinct') -%}
            {{ cohortwise._argument_error(path ~ '.aggregate', 'must be sum, avg, min, max or count_distinct; got '
                ~ (function | string)) }}
        {%- endif -%}
        {%- set property = rule.get('property') -%}
        {%- if property is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', property) -%}
            {{ cohortwise._argument_error(path ~ '.property', 'must be a property name; got ' ~ (property | string)) }}
        {%- endif -%}
        {%- set op = rule.get('op') -%}
        {%- set values = cohortwise._condition_values(rule, op, ['=', '!=', '>', '>=', '<', '<=', 'between'], path) -%}
        {%- for value in values -%}
            {%- if value is not number or value is sameas true or value is sameas false -%}
                {{ cohortwise._argument_error(path ~ '.value', 'must be a number (the ' ~ function ~ ' of ' ~ property ~ '); got '
                    ~ (value | string)) }}
            {%- endif -%}
        {%- endfor -%}
        {%- set type_name = rule.get('type', 'numeric') -%}
        {%- if type_name not in ('numeric', 'integer', 'float') or (function == 'count_distinct' and 'type' in rule) -%}
            {{ cohortwise._argument_error(path ~ '.type', 'must be numeric, integer or float (count_distinct counts the text values);'
                ~ ' got ' ~ (type_name | string)) }}
        {%- endif -%}
        {{ return({'kind': kind, 'path': path, 'function': function, 'property': property, 'op': op, 'values': values,
            'type': 'text' if function == 'count_distinct' else type_name,
            'event': cohortwise._event_spec(rule.get('event', '*'), path ~ '.event'),
            'window': cohortwise._cohort_window(rule.get('window'), path ~ '.window')}) }}
    {%- elif kind in ('sequence', 'not_sequence') -%}
        {%- set steps = rule[kind] -%}
        {%- if steps is string or steps is mapping or steps is not iterable or steps | length != 2 -%}
            {{ cohortwise._argument_error(path ~ '.' ~ kind, 'must list two events [A, B] (A then B)') }}
        {%- endif -%}
        {%- if 'within' not in rule -%}
            {{ cohortwise._argument_error(path ~ '.within', "is required: how long after A the B may come, e.g. '1 day'") }}
        {%- endif -%}
        {{ return({'kind': kind, 'path': path,
            'first': cohortwise._event_spec(steps[0], path ~ '.' ~ kind ~ '[0]'),
            'then': cohortwise._event_spec(steps[1], path ~ '.' ~ kind ~ '[1]'),
            'within': cohortwise._duration_seconds(rule.within, path ~ '.within', 0),
            'window': cohortwise._cohort_window(rule.get('window'), path ~ '.window')}) }}
    {%- elif kind == 'stopped' -%}
        {%- for key in ('earlier', 'recent') -%}
            {%- if rule.get(key) is none -%}
                {{ cohortwise._argument_error(path ~ '.' ~ key, 'is required: a stopped rule needs an earlier and a recent window') }}
            {%- endif -%}
        {%- endfor -%}
        {{ return({'kind': kind, 'path': path, 'event': cohortwise._event_spec(rule.stopped, path ~ '.stopped'),
            'earlier': cohortwise._cohort_window(rule.earlier, path ~ '.earlier'),
            'recent': cohortwise._cohort_window(rule.recent, path ~ '.recent')}) }}
    {%- elif kind == 'attribute' -%}
        {%- do cohortwise._check_user_condition(rule, path) -%}
        {{ return({'kind': kind, 'path': path, 'condition': rule}) }}
    {%- endif -%}
    {%- set cohort = rule[kind] -%}
    {%- if cohort is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', cohort) -%}
        {{ cohortwise._argument_error(path ~ '.' ~ kind, 'must be the name of a cohort model; got ' ~ (cohort | string)) }}
    {%- endif -%}
    {%- if execute and model is defined and model is mapping and cohort == model.get('name') -%}
        {{ cohortwise._argument_error(path ~ '.' ~ kind, 'a cohort cannot refer to itself') }}
    {%- endif -%}
    {%- do references.append(cohort) -%}
    {{ return({'kind': kind, 'path': path, 'cohort': cohort}) }}
{%- endmacro %}


{#- a window: none (all history), 'today', 'yesterday', {'last_days': N}, {'last_hours': N}, {'between': [d1, d2]}, {'since': d} -#}
{% macro _cohort_window(window, path) -%}
    {%- if window is none -%} {{ return({'kind': 'all_time'}) }} {%- endif -%}
    {%- if window in ('today', 'yesterday') -%} {{ return({'kind': window}) }} {%- endif -%}
    {%- set usage = "must be 'today', 'yesterday', {'last_days': N}, {'last_hours': N}, {'between': ['YYYY-MM-DD', 'YYYY-MM-DD']}"
        ~ " or {'since': 'YYYY-MM-DD'}" -%}
    {%- if window is not mapping or window | length != 1 -%}
        {{ cohortwise._argument_error(path, usage ~ '; got ' ~ (window | string)) }}
    {%- endif -%}
    {%- set kind = window.keys() | list | first -%}
    {%- set value = window[kind] -%}
    {%- if kind in ('last_days', 'last_hours') -%}
        {%- if value is not number or value is sameas true or value is sameas false or value != (value | int) or value < 1 or value > 36600 -%}
            {{ cohortwise._argument_error(path ~ '.' ~ kind, 'must be a whole number from 1; got ' ~ (value | string)) }}
        {%- endif -%}
        {{ return({'kind': kind, 'value': value | int}) }}
    {%- elif kind == 'since' -%}
        {%- do cohortwise._check_date(value, path ~ '.since') -%}
        {{ return({'kind': kind, 'value': value}) }}
    {%- elif kind == 'between' -%}
        {%- if value is string or value is mapping or value is not iterable or value | length != 2 -%}
            {{ cohortwise._argument_error(path ~ '.between', "must be ['YYYY-MM-DD', 'YYYY-MM-DD'] (both days included)") }}
        {%- endif -%}
        {%- do cohortwise._check_date(value[0], path ~ '.between[0]') -%}
        {%- do cohortwise._check_date(value[1], path ~ '.between[1]') -%}
        {%- if value[0] > value[1] -%}
            {{ cohortwise._argument_error(path ~ '.between', 'the first day must not be after the second; got ' ~ value | join(' .. ')) }}
        {%- endif -%}
        {%- set day_after = modules.datetime.datetime.strptime(value[1], '%Y-%m-%d') + modules.datetime.timedelta(days=1) -%}
        {{ return({'kind': kind, 'value': [value[0], day_after.strftime('%Y-%m-%d')]}) }}
    {%- endif -%}
    {{ cohortwise._argument_error(path, usage ~ '; got ' ~ (window | string)) }}
{%- endmacro %}


{#- rules that need user_id (user attributes) or another cohort of the same entity -#}
{% macro _check_cohort_rules_entity(tree, entity, path) -%}
    {%- if tree.kind in ('all', 'any') -%}
        {%- for child in tree.rules -%}
            {%- do cohortwise._check_cohort_rules_entity(child, entity, path) -%}
        {%- endfor -%}
    {%- elif tree.kind == 'attribute' and entity != 'user_id' -%}
        {{ cohortwise._argument_error(tree.path, 'user attributes need entity user_id (the cohort counts ' ~ entity ~ ')') }}
    {%- elif tree.kind in ('in_cohort', 'not_in_cohort') -%}
        {#- unit tests have no graph: nothing to check against there -#}
        {%- for node in (graph.nodes.values() if graph is defined and graph and graph.get('nodes') else []) -%}
            {%- if node.resource_type == 'model' and node.name == tree.cohort -%}
                {%- set other = cohortwise._cohort_settings(node) -%}
                {%- if other is none -%}
                    {{ cohortwise._argument_error(tree.path ~ '.' ~ tree.kind, "model '" ~ tree.cohort ~ "' is not a cohort (no meta.cohortwise.type)") }}
                {%- elif other.entity != entity -%}
                    {{ cohortwise._argument_error(tree.path ~ '.' ~ tree.kind, "cohort '" ~ tree.cohort ~ "' holds " ~ other.entity
                        ~ ' values; this cohort holds ' ~ entity) }}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- every leaf rule of a tree, depth first -#}
{% macro _cohort_leaves(tree, leaves=none) -%}
    {%- set leaves = [] if leaves is none else leaves -%}
    {%- if tree.kind in ('all', 'any') -%}
        {%- for child in tree.rules -%} {%- do cohortwise._cohort_leaves(child, leaves) -%} {%- endfor -%}
    {%- else -%}
        {%- do leaves.append(tree) -%}
    {%- endif -%}
    {{ return(leaves) }}
{%- endmacro %}


{#- the SQL condition of a window on an event's UTC instant and its wall-clock time in the cohort zone -#}
{% macro _cohort_window_condition(window, event_at, local_at, clock) -%}
    {%- set day_start = adapter.dispatch('local_day_start', 'cohortwise') -%}
    {%- if window.kind == 'all_time' -%}
        {{ return(event_at ~ ' <= ' ~ clock.now) }}
    {%- elif window.kind == 'last_hours' -%}
        {{ return('(' ~ event_at ~ ' > ' ~ cohortwise.timestamp_add('hour', -window.value, clock.now) ~ ' and ' ~ event_at ~ ' <= ' ~ clock.now ~ ')') }}
    {%- endif -%}
    {%- if window.kind == 'last_days' -%}
        {%- set bounds = [day_start(1 - window.value, clock.local_now), none] -%}
    {%- elif window.kind == 'today' -%}
        {%- set bounds = [day_start(0, clock.local_now), none] -%}
    {%- elif window.kind == 'yesterday' -%}
        {%- set bounds = [day_start(-1, clock.local_now), day_start(0, clock.local_now)] -%}
    {%- elif window.kind == 'since' -%}
        {%- set bounds = [cohortwise.local_timestamp_literal(window.value), none] -%}
    {%- else -%}
        {%- set bounds = [cohortwise.local_timestamp_literal(window.value[0]), cohortwise.local_timestamp_literal(window.value[1])] -%}
    {%- endif -%}
    {%- set parts = [local_at ~ ' >= ' ~ bounds[0]] -%}
    {%- if bounds[1] is not none -%} {%- do parts.append(local_at ~ ' < ' ~ bounds[1]) -%} {%- endif -%}
    {%- do parts.append(event_at ~ ' <= ' ~ clock.now) -%}
    {{ return('(' ~ parts | join(' and ') ~ ')') }}
{%- endmacro %}


{#-
    A UTC instant no event inside the window can be earlier than (a day of slack either side of a
    local day: no zone is 14 hours off), or none when the window reaches back to the first event.
-#}
{% macro _cohort_window_utc_from(window, clock) -%}
    {%- set ts = cohortwise.data_type('timestamp') -%}
    {%- if window.kind == 'last_days' -%} {{ return(cohortwise.timestamp_add('day', -(window.value + 1), clock.now)) }}
    {%- elif window.kind == 'today' -%} {{ return(cohortwise.timestamp_add('day', -2, clock.now)) }}
    {%- elif window.kind == 'yesterday' -%} {{ return(cohortwise.timestamp_add('day', -3, clock.now)) }}
    {%- elif window.kind == 'last_hours' -%} {{ return(cohortwise.timestamp_add('hour', -window.value, clock.now)) }}
    {%- elif window.kind == 'since' -%}
        {{ return(cohortwise.timestamp_add('day', -1, 'cast(' ~ cohortwise.literal(window.value) ~ ' as ' ~ ts ~ ')')) }}
    {%- elif window.kind == 'between' -%}
        {{ return(cohortwise.timestamp_add('day', -1, 'cast(' ~ cohortwise.literal(window.value[0]) ~ ' as ' ~ ts ~ ')')) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{#- an event spec and a window together, on the events CTE -#}
{% macro _cohort_event_in_window(spec, window, clock) -%}
    {{ return(cohortwise._event_condition(spec, 'events') ~ ' and '
        ~ cohortwise._cohort_window_condition(window, 'events.event_at', 'events.local_at', clock)) }}
{%- endmacro %}


{% macro _behavioral_cohort_sql(tree, settings) -%}
    {%- set entity = settings.entity -%}
    {%- set now = cohortwise.computed_at() -%}
    {%- set clock = {'now': now, 'local_now': cohortwise.to_local_timestamp(now, settings.timezone)} -%}
    {%- set leaves = cohortwise._cohort_leaves(tree) -%}
    {%- set aggregated = [] -%}
    {%- set sequences = [] -%}
    {%- set predicates = {} -%}
    {#- the events every rule can see start at the earliest window's start; first_time and all-history rules see all -#}
    {%- set earliest = [] -%}
    {%- for leaf in leaves -%}
        {%- if leaf.kind == 'first_time' -%}
            {%- do earliest.append(none) -%}
        {%- else -%}
            {%- for key in ('window', 'earlier', 'recent') if leaf.get(key) -%}
                {%- do earliest.append(cohortwise._cohort_window_utc_from(leaf[key], clock)) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set events_from = [] if (none in earliest or not earliest) else earliest | unique | list -%}
    {%- for leaf in leaves -%}
        {%- set column = 'rule_' ~ loop.index -%}
        {%- if leaf.kind in ('did', 'did_not') -%}
            {%- do aggregated.append('sum(case when ' ~ cohortwise._cohort_event_in_window(leaf.event, leaf.window, clock)
                ~ ' then 1 else 0 end) as ' ~ column) -%}
            {%- if leaf.kind == 'did' -%}
                {%- do predicates.update({leaf.path: 'coalesce(facts.' ~ column ~ ', 0) ' ~ leaf.count.op ~ ' ' ~ leaf.count.value}) -%}
            {%- else -%}
                {%- do predicates.update({leaf.path: 'coalesce(facts.' ~ column ~ ', 0) = 0'}) -%}
            {%- endif -%}
        {%- elif leaf.kind == 'aggregate' -%}
            {%- set value = cohortwise._property_expression(leaf.property, leaf.type, 'events') -%}
            {%- set when = 'case when ' ~ cohortwise._cohort_event_in_window(leaf.event, leaf.window, clock) -%}
            {%- if leaf.function == 'count_distinct' -%}
                {%- set expression = 'count(distinct ' ~ when ~ ' then ' ~ value ~ ' end)' -%}
            {%- elif leaf.function == 'avg' -%}
                {%- set expression = 'avg(' ~ when ~ ' then cast(' ~ value ~ ' as ' ~ cohortwise.data_type('float') ~ ') end)' -%}
            {%- else -%}
                {%- set expression = leaf.function ~ '(' ~ when ~ ' then ' ~ value ~ ' end)' -%}
            {%- endif -%}
            {%- do aggregated.append(expression ~ ' as ' ~ column) -%}
            {%- set measured = ('coalesce(facts.' ~ column ~ ', 0)') if leaf.function in ('sum', 'count_distinct') else ('facts.' ~ column) -%}
            {%- if leaf.op == 'between' -%}
                {%- do predicates.update({leaf.path: measured ~ ' between ' ~ cohortwise.literal(leaf['values'][0])
                    ~ ' and ' ~ cohortwise.literal(leaf['values'][1])}) -%}
            {%- else -%}
                {%- do predicates.update({leaf.path: measured ~ ' ' ~ ('<>' if leaf.op == '!=' else leaf.op) ~ ' '
                    ~ cohortwise.literal(leaf['values'][0])}) -%}
            {%- endif -%}
        {%- elif leaf.kind == 'first_time' -%}
            {%- do aggregated.append('min(case when ' ~ cohortwise._event_condition(leaf.event, 'events') ~ ' and events.event_at <= '
                ~ now ~ ' then events.event_at end) as ' ~ column) -%}
            {%- do predicates.update({leaf.path: cohortwise._cohort_window_condition(leaf.window, 'facts.' ~ column,
                cohortwise.to_local_timestamp('facts.' ~ column, settings.timezone), clock)}) -%}
        {%- elif leaf.kind == 'stopped' -%}
            {%- do aggregated.append('sum(case when ' ~ cohortwise._cohort_event_in_window(leaf.event, leaf.earlier, clock)
                ~ ' then 1 else 0 end) as ' ~ column ~ '_earlier') -%}
            {%- do aggregated.append('sum(case when ' ~ cohortwise._cohort_event_in_window(leaf.event, leaf.recent, clock)
                ~ ' then 1 else 0 end) as ' ~ column ~ '_recent') -%}
            {%- do predicates.update({leaf.path: '(coalesce(facts.' ~ column ~ '_earlier, 0) > 0 and coalesce(facts.'
                ~ column ~ '_recent, 0) = 0)'}) -%}
        {%- elif leaf.kind in ('sequence', 'not_sequence') -%}
            {%- do sequences.append({'name': 'sequence_' ~ loop.index, 'leaf': leaf}) -%}
            {%- do predicates.update({leaf.path: 'sequence_' ~ loop.index ~ '.entity_id is '
                ~ ('not null' if leaf.kind == 'sequence' else 'null')}) -%}
        {%- elif leaf.kind == 'attribute' -%}
            {%- do predicates.update({leaf.path: cohortwise._user_condition(leaf.condition, 'entities')}) -%}
        {%- elif leaf.kind == 'in_cohort' -%}
            {%- do predicates.update({leaf.path: 'entities.entity_id in (select cohort.entity_id from ' ~ ref(leaf.cohort) ~ ' as cohort)'}) -%}
        {%- elif leaf.kind == 'not_in_cohort' -%}
            {%- do predicates.update({leaf.path: 'not exists (select 1 from ' ~ ref(leaf.cohort)
                ~ ' as cohort where cohort.entity_id = entities.entity_id)'}) -%}
        {%- endif -%}
    {%- endfor -%}
with entities as (

    {%- if entity == 'user_id' %}

    select
        users.user_id as entity_id,
        users.*
    from {{ ref('cohortwise', 'dim_users') }} as users
    where
        users.signed_up_at <= {{ now }}
        or users.first_seen_at <= {{ now }}
        or (users.signed_up_at is null and users.first_seen_at is null)
    {%- else %}

    select distinct fct.{{ entity }} as entity_id
    from {{ ref('cohortwise', 'fct_events') }} as fct
    where
        fct.{{ entity }} is not null
        and fct.event_at <= {{ now }}
    {%- endif %}

)
{%- if aggregated or sequences %},

events as (

    select
        fct.*,
        fct.{{ entity }} as entity_id,
        {{ cohortwise.to_local_timestamp('fct.event_at', settings.timezone) }} as local_at
    from {{ ref('cohortwise', 'fct_events') }} as fct
    where
        fct.{{ entity }} is not null
        and fct.event_at <= {{ now }}
        {%- if events_from %}
        and ({% for bound in events_from %}fct.event_at >= {{ bound }}{{ ' or ' if not loop.last }}{% endfor %})
        {%- endif %}

)
{%- endif %}
{%- if aggregated %},

facts as (

    select
        events.entity_id,
        {{ aggregated | join(',\n        ') }}
    from events
    group by events.entity_id

)
{%- endif %}
{%- for sequence in sequences %}
{%- set leaf = sequence.leaf %},

{{ sequence.name }}_events as (

    select
        events.entity_id,
        events.event_id,
        events.event_at,
        case when {{ cohortwise._event_condition(leaf.first, 'events') }} then 1 else 0 end as is_first,
        case when {{ cohortwise._event_condition(leaf.then, 'events') }} then 1 else 0 end as is_then
    from events
    where
        ({{ cohortwise._event_condition(leaf.first, 'events') }} or {{ cohortwise._event_condition(leaf.then, 'events') }})
        and {{ cohortwise._cohort_window_condition(leaf.window, 'events.event_at', 'events.local_at', clock) }}

),

{{ sequence.name }}_next as (

    select
        entity_id,
        event_at,
        is_first,
        is_then,
        sum(is_then) over (partition by entity_id, event_at) as then_at_same_time,
        min(case when is_then = 1 then event_at end) over (
            partition by entity_id order by event_at, event_id rows between 1 following and unbounded following
        ) as next_then_at
    from {{ sequence.name }}_events

),

{{ sequence.name }} as (

    select distinct entity_id
    from {{ sequence.name }}_next
    where
        is_first = 1
        and (
            then_at_same_time - is_then > 0
            or next_then_at <= {{ cohortwise.timestamp_add('second', leaf.within, 'event_at') }}
        )

)
{%- endfor %},

members as (

    select entities.entity_id
    from entities
    {%- if aggregated %}
    left join facts
        on entities.entity_id = facts.entity_id
    {%- endif %}
    {%- for sequence in sequences %}
    left join {{ sequence.name }}
        on entities.entity_id = {{ sequence.name }}.entity_id
    {%- endfor %}
    where {{ cohortwise._cohort_tree_condition(tree, predicates) }}

)

select
    entity_id,
    {{ now }} as computed_at
from members
{%- endmacro %}


{#- the boolean SQL of a rule tree, from the predicates of its leaves -#}
{% macro _cohort_tree_condition(tree, predicates) -%}
    {%- if tree.kind not in ('all', 'any') -%}
        {{ return('(' ~ predicates[tree.path] ~ ')') }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for child in tree.rules -%}
        {%- do parts.append(cohortwise._cohort_tree_condition(child, predicates)) -%}
    {%- endfor -%}
    {{ return('(' ~ parts | join(' and ' if tree.kind == 'all' else ' or ') ~ ')') }}
{%- endmacro %}
