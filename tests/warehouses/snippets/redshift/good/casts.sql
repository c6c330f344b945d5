select x::int as n, getdate() as now_at, dateadd(day, 1, ts) as next_day from t
