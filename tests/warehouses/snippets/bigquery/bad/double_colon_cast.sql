select x::int64 as y from t
