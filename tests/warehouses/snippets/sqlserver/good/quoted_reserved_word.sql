select "plan" from users
