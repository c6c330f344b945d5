select t.id from t where t.id in (select hash from u)
