select country, count(*) as users from users group by 1
