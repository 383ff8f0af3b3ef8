-- Make a delayed message ready now, at its place by priority and arrival (its stored score).
-- KEYS[1] ready, KEYS[2] delayed
-- ARGV[1] prefix, ARGV[2] wake channel, ARGV[3] uuid, ARGV[4] reply id (see remembered_reply)
-- Returns 'ok' | 'lost' (queued but not delayed) | 'gone'; a re-send answers what the first run did.
local prefix, wake, uuid, reply_id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local previous = remembered_reply(prefix, now, reply_id)
if previous then return previous end
if redis.call('EXISTS', prefix .. 'm:' .. uuid) == 0 then return 'gone' end
if redis.call('ZREM', KEYS[2], uuid) == 0 then return 'lost' end
make_ready(prefix, uuid, message_score(prefix, uuid), wake)
return remember_reply(prefix, now, reply_id, 'ok')
