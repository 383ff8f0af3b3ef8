-- Delete dead letters of one queue and their index entries.
-- KEYS[1] dead (index zset)
-- ARGV[1] prefix, ARGV[2..] the uuids
-- Returns how many existed (expired ones are gone already).
local prefix = ARGV[1]
local deleted = 0
for i = 2, #ARGV do
  deleted = deleted + redis.call('DEL', prefix .. 'dead:' .. ARGV[i])
  redis.call('ZREM', KEYS[1], ARGV[i])
end
return deleted
