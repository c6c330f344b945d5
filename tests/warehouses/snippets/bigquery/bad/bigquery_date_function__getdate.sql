select getdate() as now_at
