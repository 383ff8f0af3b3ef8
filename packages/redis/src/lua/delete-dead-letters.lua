-- Delete dead letters of one queue and their index entries.
-- KEYS[1] dead (index zset)
-- ARGV[1] prefix, ARGV[2] reply id (see remembered_reply), ARGV[3..] the uuids
-- Returns how many existed (expired ones are gone already); a re-send answers the first run's count.
local prefix, reply_id = ARGV[1], ARGV[2]
local now = now_ms()
local previous = remembered_reply(prefix, now, reply_id)
if previous then return previous end
local deleted = 0
for i = 3, #ARGV do
  deleted = deleted + redis.call('DEL', prefix .. 'dead:' .. ARGV[i])
  redis.call('ZREM', KEYS[1], ARGV[i])
end
if deleted == 0 then return 0 end
return remember_reply(prefix, now, reply_id, deleted)
