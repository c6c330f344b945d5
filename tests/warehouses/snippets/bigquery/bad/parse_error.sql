select x from t where
