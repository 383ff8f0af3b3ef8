-- Lists a queue's stored schedules by name.
-- KEYS[1] the queue's schedule names (zset)
-- ARGV[1] prefix of the schedule keys (`<queue prefix>s:`)
-- Returns per schedule its name, then its fields (see schedule-common.lua).
local out = {}
for _, name in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[1] .. name
  if redis.call('EXISTS', key) == 1 then
    out[#out + 1] = name
    append_schedule(out, key)
  end
end
return out
