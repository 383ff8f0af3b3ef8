-- Remove a completed message, store its result and enqueue its callback, in one step.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] active, KEYS[4] outbox (source queue),
-- KEYS[5] ready, KEYS[6] delayed, KEYS[7] seq of the callback's queue (the source's when the
--   callback is not enqueued inline)
-- ARGV[1] prefix, ARGV[2] uuid, ARGV[3] token ('' = unfenced),
-- ARGV[4] '1' when a result is stored, ARGV[5] serialized result, ARGV[6] result ttl ms (0: none),
-- ARGV[7] progenitor uuid (''), ARGV[8] result channel (''), ARGV[9] published payload,
-- ARGV[10] callback mode: 'none' | 'inline' (same slot) | 'outbox' (other slot, forwarded later),
-- ARGV[11] callback prefix, ARGV[12] callback wake channel, ARGV[13] callback uuid,
-- ARGV[14] callback priority, ARGV[15] callback readyAt, ARGV[16] callback data,
-- ARGV[17] outbox entry, ARGV[18] event stream cap ('0': no events)
-- Returns 'ok' | 'lost' | 'gone' ('ok' again, changing nothing, when re-sent after it applied).
local prefix, uuid, token = ARGV[1], ARGV[2], ARGV[3]
local now = now_ms()
local answer = fenced_answer(prefix, uuid, token, 'ack', now)
if answer then return answer end
record_applied(prefix, now, token, 'ack')
local events = tonumber(ARGV[18])
if events > 0 then
  add_event(prefix, events, 'succeeded', uuid, attempt_of(prefix, uuid))
  redis.call('HDEL', prefix .. 'att', uuid)
end
unlink_message(prefix, uuid)
count_throughput(prefix, now, 'c', 1)
if ARGV[4] == '1' then
  store_result(prefix, now, uuid, ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
end
if ARGV[10] == 'inline' then
  local code = enqueue(ARGV[11], ARGV[12], now, ARGV[13], ARGV[14], ARGV[15], ARGV[16])
  if code == 0 and events > 0 then add_event(ARGV[11], events, 'submitted', ARGV[13], '0') end
elseif ARGV[10] == 'outbox' then
  redis.call('RPUSH', KEYS[4], ARGV[17])
end
return 'ok'
