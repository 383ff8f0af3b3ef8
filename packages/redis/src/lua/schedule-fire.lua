-- Takes one slot of a stored schedule: when its revision and next slot are the caller's and the
-- slot is due on the server's clock, moves it to the next slot and (unless paused) submits the
-- fire's message, in one step. Every other caller of the slot gets 'stale'; the same fire re-sent
-- (same slot and message uuid, remembered in field l) gets 'fired' again and changes nothing.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] seq (all of the queue), KEYS[4] the schedule (hash),
-- KEYS[5] optional: the namespace's queue set (standalone only)
-- ARGV[1] queue key prefix, ARGV[2] wake-up channel, ARGV[3] queue name, ARGV[4] revision,
-- ARGV[5] slot (epoch ms), ARGV[6] next slot ('' = none), ARGV[7] uuid, ARGV[8] priority,
-- ARGV[9] readyAt, ARGV[10] stored message data, ARGV[11] status key ('' = none), ARGV[12] rank,
-- ARGV[13] serialized status, ARGV[14] status ttl ms, ARGV[15] status channel
-- Returns {outcome ('fired', 'skipped', 'stale', 'early' or 'gone'), ms until the slot (early),
-- the stored schedule's fields (not when gone)...}.
local key = KEYS[4]
local state = redis.call('HMGET', key, 'r', 'n', 'p')
if not state[1] then return {'gone', 0} end
local this_fire = table.concat({ ARGV[5], ARGV[7] }, ':')
if state[1] ~= ARGV[4] or state[2] ~= ARGV[5] then
  -- The same fire re-sent after its reply was lost (ioredis re-sends) answers like the first one.
  if state[1] == ARGV[4] and redis.call('HGET', key, 'l') == this_fire then
    return append_schedule({'fired', 0}, key)
  end
  return append_schedule({'stale', 0}, key)
end
local now = now_ms()
local slot = tonumber(ARGV[5])
if slot > now then return append_schedule({'early', slot - now}, key) end
redis.call('HSET', key, 'n', ARGV[6])
if state[3] == '1' then return append_schedule({'skipped', 0}, key) end
redis.call('HINCRBY', key, 'f', 1)
redis.call('HSET', key, 'l', this_fire)
if KEYS[5] then redis.call('SADD', KEYS[5], ARGV[3]) end
local code = enqueue(ARGV[1], ARGV[2], now, ARGV[7], ARGV[8], ARGV[9], ARGV[10])
if code == 0 and ARGV[11] ~= '' then
  write_status(ARGV[11], ARGV[12], ARGV[13], ARGV[14], ARGV[15], true)
end
return append_schedule({'fired', 0}, key)
