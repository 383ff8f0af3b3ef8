-- Delete results of one queue and their index entries.
-- KEYS: the result keys
-- ARGV[1] prefix, ARGV[2..] the uuids (same order as KEYS)
-- Returns how many existed.
local prefix = ARGV[1]
local deleted = 0
for i, key in ipairs(KEYS) do
  local progenitor = redis.call('HGET', key, 'p')
  if progenitor then
    deleted = deleted + 1
    redis.call('DEL', key)
    if progenitor ~= '' then redis.call('ZREM', prefix .. 'rd:' .. progenitor, ARGV[1 + i]) end
  end
end
return deleted
