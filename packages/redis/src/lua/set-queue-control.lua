-- Set or remove one flow-control field of a queue, and wake its consumers.
-- KEYS[1] the queue's control hash (<prefix>ctl)
-- ARGV[1] field: 'paused', 'rl' (the queue's rate limit) or 't:<task>' (a task's rate limit),
-- ARGV[2] value ('1' for paused, 'max:durationMs:countingWindowMs' for a limit; '' removes it),
-- ARGV[3] the queue's wake channel
-- The hash also counts its task limits in field 'tasks', so claim.lua reads the paused flag, the
-- queue limit and whether any task limit exists with one HMGET.
-- Pausing wakes nobody (consumers simply find the queue skipped); resuming and every limit change
-- publish a wake-up so idle consumers claim again at once.
-- Returns 1.
local ctl = KEYS[1]
local field, value, wake = ARGV[1], ARGV[2], ARGV[3]
local is_task = string.sub(field, 1, 2) == 't:'
if value == '' then
  if redis.call('HDEL', ctl, field) == 1 and is_task then
    if redis.call('HINCRBY', ctl, 'tasks', -1) <= 0 then redis.call('HDEL', ctl, 'tasks') end
  end
else
  if redis.call('HSET', ctl, field, value) == 1 and is_task then redis.call('HINCRBY', ctl, 'tasks', 1) end
end
if field ~= 'paused' or value == '' then redis.call('PUBLISH', wake, '1') end
return 1
