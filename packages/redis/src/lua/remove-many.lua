-- Remove messages of one queue without a trace: the bare acks (no result, no callback) and the
-- removes issued together, in one step.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] active (route the call; the scripts derive them, and the
--   wait list, from the prefix)
-- ARGV[1] prefix, ARGV[2] 'ack' (the removals are completions: counted in throughput) or 'remove',
-- ARGV[3] event stream cap ('0': no events; acks are recorded as 'succeeded', removals as 'removed'),
-- ARGV[4] reply id (see remembered_reply; '' when every pair is fenced: fenced removals are
-- remembered by token), then pairs: uuid, token ('' = unfenced)
-- Returns one code per pair, in order: 0 ok, 1 lost, 2 gone (a uuid listed twice is gone the
-- second time, as if the calls had run one after the other; ok when it is the same lease again,
-- and ok for a lease whose removal applied before: a re-send). A fenced removal is an ack
-- without side effects, and is remembered as one.
local prefix, reply_id = ARGV[1], ARGV[4]
local now = now_ms()
local previous = remembered_reply(prefix, now, reply_id)
if previous then return previous end
local out, uuids, message_keys, removed, applied = {}, {}, {}, {}, {}
-- The lease tokens of all listed messages in one HMGET: a matching token proves the message
-- exists (a lease is deleted with its message), so only a mismatch or an unfenced removal needs
-- the per-message fence check.
local listed = {}
for i = 5, #ARGV, 2 do listed[#listed + 1] = ARGV[i] end
local held = collect_in_chunks('HMGET', prefix .. 'lease', listed)
for i = 5, #ARGV, 2 do
  local uuid, token = ARGV[i], ARGV[i + 1]
  local refused
  if removed[uuid] then refused = (token ~= '' and removed[uuid] == token) and 'again' or 'gone'
  elseif token ~= '' and held[(i - 3) / 2] == token then refused = nil
  else refused = check_fence(prefix, uuid, token) end
  if refused and refused ~= 'again' and was_applied(prefix, now, token, 'ack') then refused = 'again' end
  if refused == 'again' then
    out[#out + 1] = 0
  elseif refused == 'gone' then
    out[#out + 1] = 2
  elseif refused == 'lost' then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
    removed[uuid] = token
    if token ~= '' then applied[#applied + 1] = token; applied[#applied + 1] = 'ack' end
    uuids[#uuids + 1] = uuid
    message_keys[#message_keys + 1] = prefix .. 'm:' .. uuid
  end
end
local events = tonumber(ARGV[3])
if #uuids > 0 and events > 0 then
  for _, uuid in ipairs(uuids) do
    add_event(prefix, events, ARGV[2] == 'ack' and 'succeeded' or 'removed', uuid, attempt_of(prefix, uuid))
  end
  redis.call('HDEL', prefix .. 'att', unpack(uuids))
end
if #uuids > 0 then
  unindex_messages(prefix, uuids)
  redis.call('DEL', unpack(message_keys))
  redis.call('HDEL', prefix .. 'lease', unpack(uuids))
  redis.call('HDEL', prefix .. 'exp', unpack(uuids))
  if ARGV[2] == 'ack' then count_throughput(prefix, now, 'c', #uuids) end
end
if #applied > 0 then
  local key = applied_key(prefix, now, 0)
  call_in_chunks('HSET', key, applied)
  redis.call('PEXPIRE', key, 2 * APPLIED_BUCKET_MS + 5000)
end
return remember_reply(prefix, now, reply_id, out)
