select frobnicate(id) as f from events
