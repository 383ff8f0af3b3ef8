-- Pauses or resumes a stored schedule, if it exists.
-- KEYS[1] the schedule (hash)
-- ARGV[1] '1' to pause, '0' to resume
-- Returns 1 when the schedule exists, else 0.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'p', ARGV[1])
return 1
