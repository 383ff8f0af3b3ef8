-- Delete results of one queue and their index entries.
-- KEYS: the result keys
-- ARGV[1] prefix, ARGV[2] reply id (see remembered_reply), ARGV[3..] the uuids (same order as KEYS)
-- Returns how many existed; a re-send answers the first run's count.
local prefix, reply_id = ARGV[1], ARGV[2]
local now = now_ms()
local previous = remembered_reply(prefix, now, reply_id)
if previous then return previous end
local deleted = 0
for i, key in ipairs(KEYS) do
  local progenitor = redis.call('HGET', key, 'p')
  if progenitor then
    deleted = deleted + 1
    redis.call('DEL', key)
    if progenitor ~= '' then redis.call('ZREM', prefix .. 'rd:' .. progenitor, ARGV[2 + i]) end
  end
end
if deleted == 0 then return 0 end
return remember_reply(prefix, now, reply_id, deleted)
