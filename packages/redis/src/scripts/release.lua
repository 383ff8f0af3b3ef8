-- Give a claimed message back at its original place.
-- KEYS[1] ready, KEYS[2] active
-- ARGV[1] prefix, ARGV[2] wake channel, ARGV[3] uuid, ARGV[4] token
-- Returns 'ok' | 'lost' | 'gone'.
local prefix, wake, uuid, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local refused = check_fence(prefix, uuid, token)
if refused then return refused end
redis.call('ZREM', KEYS[2], uuid)
redis.call('HDEL', prefix .. 'lease', uuid)
make_ready(prefix, uuid, message_score(prefix, uuid), wake)
return 'ok'
