-- Deletes a stored schedule and its name from the queue's list.
-- KEYS[1] the schedule (hash), KEYS[2] the queue's schedule names (zset)
-- ARGV[1] the schedule's name, ARGV[2] queue key prefix, ARGV[3] call id (see remembered_reply)
-- Returns 1 when it existed, else 0; a re-send answers what the first run did.
local prefix, reply_id = ARGV[2], ARGV[3]
local now = now_ms()
local previous = remembered_reply(prefix, now, reply_id)
if previous then return previous end
redis.call('ZREM', KEYS[2], ARGV[1])
local existed = redis.call('DEL', KEYS[1])
if existed == 0 then return 0 end
return remember_reply(prefix, now, reply_id, existed)
