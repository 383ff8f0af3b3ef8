-- Remove a message for good and keep its data in the dead-letter queue.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] active, KEYS[4] dead (index zset, score expiry)
-- ARGV[1] prefix, ARGV[2] uuid, ARGV[3] token ('' = unfenced), ARGV[4] serialized data,
-- ARGV[5] dead-letter ttl ms (0: not kept), ARGV[6] event stream cap ('0': no events),
-- ARGV[7] event type ('failed' | 'revoked'), ARGV[8] attempt, ARGV[9] error name (''),
-- ARGV[10] error text
-- Returns 'ok' | 'lost' | 'gone' ('ok' again, changing nothing, when re-sent after it applied).
local prefix, uuid, token = ARGV[1], ARGV[2], ARGV[3]
local now = now_ms()
local answer = fenced_answer(prefix, uuid, token, 'fail', now)
if answer then return answer end
record_applied(prefix, now, token, 'fail')
unlink_message(prefix, uuid)
count_throughput(prefix, now, 'f', 1)
local ttl = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
if ttl > 0 then
  redis.call('SET', prefix .. 'dead:' .. uuid, ARGV[4], 'PX', ttl)
  redis.call('ZADD', KEYS[4], now + ttl, uuid)
end
local events = tonumber(ARGV[6])
if events > 0 then
  redis.call('HDEL', prefix .. 'att', uuid)
  local error = error_fields(ARGV[9], ARGV[10])
  add_event(prefix, events, ARGV[7], uuid, ARGV[8], unpack(error))
  if ttl > 0 then add_event(prefix, events, 'dead-lettered', uuid, ARGV[8], unpack(error)) end
end
return 'ok'
