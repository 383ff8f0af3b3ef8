-- Store new data for a message and schedule it again at readyAt.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] active
-- ARGV[1] prefix, ARGV[2] wake channel, ARGV[3] uuid, ARGV[4] token ('' = unfenced),
-- ARGV[5] serialized data, ARGV[6] readyAt (epoch ms), ARGV[7] event stream cap ('0': no events),
-- ARGV[8] the attempt that comes next (retries), ARGV[9] error name (''), ARGV[10] error text
-- Returns 'ok' | 'lost' | 'gone' ('ok' again, changing nothing, when re-sent after it applied).
local prefix, wake, uuid, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local answer = fenced_answer(prefix, uuid, token, 'retry', now)
if answer then return answer end
record_applied(prefix, now, token, 'retry')
local score = message_score(prefix, uuid)
unindex_messages(prefix, { uuid })
redis.call('HDEL', prefix .. 'lease', uuid)
redis.call('SET', prefix .. 'm:' .. uuid, score .. ARGV[5])
if tonumber(ARGV[6]) <= now then
  make_ready(prefix, uuid, score, wake)
else
  redis.call('ZADD', KEYS[2], ARGV[6], uuid)
end
local events = tonumber(ARGV[7])
if events > 0 then
  redis.call('HSET', prefix .. 'att', uuid, ARGV[8])
  add_event(prefix, events, 'retried', uuid, ARGV[8], 'r', ARGV[6], unpack(error_fields(ARGV[9], ARGV[10])))
end
return 'ok'
