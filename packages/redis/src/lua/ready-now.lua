-- Make a delayed message ready now, at its place by priority and arrival (its stored score).
-- KEYS[1] ready, KEYS[2] delayed
-- ARGV[1] prefix, ARGV[2] wake channel, ARGV[3] uuid
-- Returns 'ok' | 'lost' (queued but not delayed) | 'gone'.
local prefix, wake, uuid = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', prefix .. 'm:' .. uuid) == 0 then return 'gone' end
if redis.call('ZREM', KEYS[2], uuid) == 0 then return 'lost' end
make_ready(prefix, uuid, message_score(prefix, uuid), wake)
return 'ok'
