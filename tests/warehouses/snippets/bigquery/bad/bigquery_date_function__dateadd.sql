select dateadd(day, 1, created_at) as next_day from t
