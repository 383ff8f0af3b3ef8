-- Creates, joins or replaces a trigger task's stored schedule. A create or a replace (another
-- definition: the last definer wins) submits the progenitor message in the same step.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] seq (all of the queue), KEYS[4] the schedule (hash),
-- KEYS[5] the queue's schedule names (zset), KEYS[6] optional: the namespace's queue set
-- (standalone only: it is on another Cluster slot)
-- ARGV[1] queue key prefix, ARGV[2] wake-up channel, ARGV[3] queue name, ARGV[4] schedule name,
-- ARGV[5] trigger, ARGV[6] definition, ARGV[7] revision, ARGV[8] template (serialized message data),
-- ARGV[9] first slot (epoch ms; '' = never), ARGV[10] paused ('1' or '0'),
-- ARGV[11] uuid, ARGV[12] priority, ARGV[13] readyAt, ARGV[14] stored message data,
-- ARGV[15] status key ('' = none), ARGV[16] rank, ARGV[17] serialized status, ARGV[18] status ttl ms,
-- ARGV[19] status channel
-- Returns {outcome ('created', 'joined' or 'replaced'), the stored schedule's fields...}.
local key = KEYS[4]
local stored_definition = redis.call('HGET', key, 'd')
if stored_definition == ARGV[6] then return append_schedule({'joined'}, key) end
redis.call('DEL', key)
redis.call('HSET', key, 't', ARGV[5], 'd', ARGV[6], 'r', ARGV[7], 'm', ARGV[8], 'n', ARGV[9], 'p', ARGV[10], 'f', '0')
redis.call('ZADD', KEYS[5], 0, ARGV[4])
if KEYS[6] then redis.call('SADD', KEYS[6], ARGV[3]) end
local code = enqueue(ARGV[1], ARGV[2], now_ms(), ARGV[11], ARGV[12], ARGV[13], ARGV[14])
-- A created message starts a new life: its first status replaces whatever was stored.
if code == 0 and ARGV[15] ~= '' then
  write_status(ARGV[15], ARGV[16], ARGV[17], ARGV[18], ARGV[19], true)
end
return append_schedule({stored_definition and 'replaced' or 'created'}, key)
