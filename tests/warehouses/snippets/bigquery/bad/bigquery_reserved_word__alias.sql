select id as range from t
