-- Enqueue messages of one queue, idempotently by uuid, each with its first status if given.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] seq (all of the queue; they fix the slot),
-- KEYS[4] optional: the namespace's queue set (standalone only: it is on another Cluster slot)
-- ARGV[1] queue key prefix, ARGV[2] wake-up channel, ARGV[3] queue name,
-- ARGV[4] '1' when the messages carry statuses, else '0',
-- ARGV[5] event stream cap ('0': no events),
-- then per message 4 values: uuid, priority, readyAt (epoch ms; '0': ready now), serialized data; with statuses
-- 5 more: status key ('' = none; in the queue's slot), rank (16 digits), serialized status,
-- status ttl ms (0: none), status channel ('' = none); with events 1 more: the attempt
-- Returns one code per message: 0 created, 1 duplicate, 2 conflict.
-- The queue joins the queue set when a message of this call found its ready index empty or went to
-- delayed: a queue that holds messages was added then, so the steady stream of submits to a busy
-- queue skips the SADD (a Redis call from Lua costs about as much as the script's own work).
local prefix, wake = ARGV[1], ARGV[2]
local with_status = ARGV[4] == '1'
local events = tonumber(ARGV[5])
local stride = (with_status and 9 or 4) + (events > 0 and 1 or 0)
local now -- server time, read once, and only for a message with a readyAt
local register = false
local out = {}
for i = 6, #ARGV, stride do
  if now == nil and ARGV[i + 2] ~= '0' then now = now_ms() end
  local code, announced = enqueue(prefix, wake, now, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
  register = register or announced
  -- A created message starts a new life: its first status replaces whatever was stored, before
  -- any claim can see the message.
  if code == 0 and with_status and ARGV[i + 4] ~= '' then
    write_status(ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], ARGV[i + 8], true)
  end
  if code == 0 and events > 0 then
    local attempt = ARGV[i + stride - 1]
    if attempt ~= '0' then redis.call('HSET', prefix .. 'att', ARGV[i], attempt) end
    add_event(prefix, events, 'submitted', ARGV[i], attempt)
  end
  out[#out + 1] = code
end
if register and KEYS[4] then redis.call('SADD', KEYS[4], ARGV[3]) end
return out
