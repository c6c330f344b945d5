select `range`, regexp_contains(x, r'^[0-9]+$') as digits, safe.parse_json(p) is not null as valid from t
