-- Deletes a stored schedule and its name from the queue's list.
-- KEYS[1] the schedule (hash), KEYS[2] the queue's schedule names (zset)
-- ARGV[1] the schedule's name
-- Returns 1 when it existed, else 0.
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
