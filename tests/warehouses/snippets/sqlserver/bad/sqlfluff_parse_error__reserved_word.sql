select plan from users
