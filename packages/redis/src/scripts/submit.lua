-- Enqueue messages of one queue, idempotently by uuid.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] seq (all of the queue; they fix the slot),
-- KEYS[4] optional: the namespace's queue set (standalone only: it is on another Cluster slot)
-- ARGV[1] queue key prefix, ARGV[2] wake-up channel, ARGV[3] queue name,
-- then per message 4 values: uuid, priority, readyAt (epoch ms), serialized data
-- Returns one code per message: 0 created, 1 duplicate, 2 conflict.
local prefix, wake = ARGV[1], ARGV[2]
local now = now_ms()
local out = {}
if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[3]) end
for i = 4, #ARGV, 4 do
  out[#out + 1] = enqueue(prefix, wake, now, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return out
