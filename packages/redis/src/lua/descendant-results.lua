-- Uuids indexed under a progenitor, oldest write first; drops entries whose result expired.
-- KEYS[1] the index (rd:<progenitor>)
-- ARGV[1] prefix
local out = {}
for _, uuid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', ARGV[1] .. 'r:' .. uuid) == 1 then
    out[#out + 1] = uuid
  else
    redis.call('ZREM', KEYS[1], uuid)
  end
end
return out
