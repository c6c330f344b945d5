select g, string_agg(cast(n as nvarchar(max)), ',') within group (order by n) as joined, max(isjson(p)) as valid, max(datepart(hour, ts)) as last_hour from t group by g
