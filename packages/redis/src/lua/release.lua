-- Give a claimed message back at its original place, with its status if given.
-- KEYS[1] ready, KEYS[2] active
-- ARGV[1] prefix, ARGV[2] wake channel, ARGV[3] uuid, ARGV[4] token,
-- ARGV[5] status key ('' = none), ARGV[6] status rank (16 digits), ARGV[7] serialized status,
-- ARGV[8] status ttl ms (0: none), ARGV[9] status channel ('' = none),
-- ARGV[10] event stream cap ('0': no events; a 'released' event is recorded)
-- Returns 'ok' | 'lost' | 'gone' ('ok' again, changing nothing, when re-sent after it applied).
local prefix, wake, uuid, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local answer = fenced_answer(prefix, uuid, token, 'release', now)
if answer then return answer end
record_applied(prefix, now, token, 'release')
unindex_messages(prefix, { uuid })
redis.call('HDEL', prefix .. 'lease', uuid)
make_ready(prefix, uuid, message_score(prefix, uuid), wake)
local events = tonumber(ARGV[10])
if events > 0 then add_event(prefix, events, 'released', uuid, attempt_of(prefix, uuid)) end
-- The holder gives its attempt back unrun: the one write that may turn a status back.
if ARGV[5] ~= '' then write_status(ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], true) end
return 'ok'
