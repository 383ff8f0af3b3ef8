-- Read results of one queue; delete what was read (and its index entry) unless kept.
-- KEYS: the result keys
-- ARGV[1] prefix, ARGV[2] '1' to keep, ARGV[3..] the uuids (same order as KEYS)
-- Returns one value per key: the serialized value, or false when absent.
local prefix, keep = ARGV[1], ARGV[2] == '1'
local out = {}
for i, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, 'v', 'p')
  out[i] = fields[1] or false
  if fields[1] and not keep then
    redis.call('DEL', key)
    if fields[2] and fields[2] ~= '' then
      redis.call('ZREM', prefix .. 'rd:' .. fields[2], ARGV[2 + i])
    end
  end
end
return out
