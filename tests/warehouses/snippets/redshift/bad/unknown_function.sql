select frobnicate(x) as y from t
