select datediff(day, started_at, ended_at) as days from t
