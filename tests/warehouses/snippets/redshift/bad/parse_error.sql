select x from t where x = = 1
