-- Read results of one queue; delete what was read (and its index entry) unless kept.
-- KEYS: the result keys
-- ARGV[1] prefix, ARGV[2] '1' to keep, ARGV[3] take id (random per call, ending in ':'), ARGV[4..] the uuids
-- (same order as KEYS)
-- Returns one value per key: the serialized value, or false when absent.
-- A taken result is not forgotten at once: its value moves to <prefix>taken:<take id><uuid> for
-- TAKEN_KEEP_MS, so that a re-send of this call (ioredis re-sends a call whose reply was lost in a
-- disconnect; same ARGV, so the same take id) answers the value the first run took instead of
-- nothing. No other call knows the take id: for everyone else the result is gone.
local TAKEN_KEEP_MS = 60000
local prefix, keep, take_id = ARGV[1], ARGV[2] == '1', ARGV[3]
local out = {}
for i, key in ipairs(KEYS) do
  local uuid = ARGV[3 + i]
  local fields = redis.call('HMGET', key, 'v', 'p')
  out[i] = fields[1] or false
  if fields[1] and not keep then
    local taken = prefix .. 'taken:' .. take_id .. uuid
    redis.call('HSET', taken, 'v', fields[1])
    redis.call('PEXPIRE', taken, TAKEN_KEEP_MS)
    redis.call('DEL', key)
    if fields[2] and fields[2] ~= '' then
      redis.call('ZREM', prefix .. 'rd:' .. fields[2], uuid)
    end
  elseif not fields[1] and not keep then
    -- A re-send of a take whose first run took this value.
    out[i] = redis.call('HGET', prefix .. 'taken:' .. take_id .. uuid, 'v') or false
  end
end
return out
