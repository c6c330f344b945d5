select a, count(*) as n from t group by 1
