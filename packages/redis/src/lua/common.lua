-- Shared helpers, prepended to every script below (not a script of its own).
-- Queue keys all start with a prefix `<ns>:q:{<queue>}:` so they share the queue's hash slot:
--   ready (zset, score priority*2^32+seq) and wait (list: the ready messages of the default
--   priority that were ready when submitted, in arrival order, which is their score order; see
--   make_ready), delayed (zset, readyAt), active (zset, lease expiry),
--   seq (counter), m:<uuid> (string: the 16-digit ready score, then the serialized data),
--   lease (hash uuid -> token, claimed messages only), exp (hash uuid -> expired leases, only
--   for messages whose lease ever expired),
--   dead (zset index, expiry), dead:<uuid> (string), r:<uuid> (hash: v value, p progenitor),
--   rd:<progenitor> (zset, write time), outbox (list of cross-slot callbacks),
--   applied:<minute> (hash token -> operation: fenced writes applied in that minute of server time;
--   claim:<token prefix> -> JSON list of the queue indexes and uuids a claim leased, for its re-send).
--   tp:<epoch minute> (hash c: acks, f: failures; expires after an hour),
--   ctl (hash: flow control, see set-queue-control.lua), rlw and rlw:<task> (zsets token -> claim
--   time: the sliding windows of the queue's and its tasks' rate limits, see claim.lua),
--   events (stream, only with the backend's `events` option: one entry per state change, fields
--   t type, u uuid, a attempt, then e/m error name and text, r readyAt, p serialized progress),
--   att (hash uuid -> attempt of messages retried at least once, only with `events`),
--   skw (string '1': a claim left only skipped messages in ready, see make_ready and claim.lua).

-- The lease hash's pin: a field no uuid can be, whose value is too long for a listpack.
local LEASE_TABLE_PIN = ' hashtable'
local LEASE_TABLE_PIN_VALUE = string.rep('-', 80)

-- SCORE_WIDTH, SCORE_FORMAT, PRIORITY_SCALE, STATUS_MARK, STATUS_HEAD_WIDTH and
-- MAX_SKIPPED_PER_QUEUE are defined in script-constants.ts, whose Lua rendering comes before this
-- file in every script.

-- The ready score of a stored message, or nil when it is gone.
local function message_score(prefix, uuid)
  local score = redis.call('GETRANGE', prefix .. 'm:' .. uuid, 0, SCORE_WIDTH - 1)
  if score == '' then return nil end
  return score
end

-- Lua's unpack() is bounded by its C stack: commands over long lists go in chunks of this many
-- items (even, so that pairs stay together).
local CHUNK = 4000

-- Runs `command key items...` over all of `items`, in chunks.
local function call_in_chunks(command, key, items)
  for i = 1, #items, CHUNK do
    redis.call(command, key, unpack(items, i, math.min(i + CHUNK - 1, #items)))
  end
end

-- The replies of `command [key] items...` over all of `items`, in chunks, as one list
-- (MGET: key nil; HMGET: the hash).
local function collect_in_chunks(command, key, items)
  local out = {}
  for i = 1, #items, CHUNK do
    local last = math.min(i + CHUNK - 1, #items)
    local reply
    if key then reply = redis.call(command, key, unpack(items, i, last))
    else reply = redis.call(command, unpack(items, i, last)) end
    for j = 1, #reply do out[#out + 1] = reply[j] end
  end
  return out
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Puts a message in ready: at the tail of the wait list when `to_wait` (a message just submitted
-- with the default priority: its score is the queue's newest, so the list stays in score order),
-- else in the ready zset at `score`. A claim merges the two by score (see take_ready in claim.lua).
-- Publishes a wake-up only when ready goes from empty to non-empty, because idle consumers only
-- wait after a claim found ready empty, or when the queue is marked skw: a claim that skipped
-- messages (ClaimRequest.skipTasks) found nothing else, so its consumer waits although ready is
-- not empty. One EXISTS reads all three, the two indexes counted twice: under 2 is "ready is
-- empty", odd is "marked" (the mark is used up); 2 or 4 is "holds messages, no mark": no wake-up.
-- Returns whether ready was empty.
local function make_ready(prefix, uuid, score, wake_channel, to_wait)
  local ready, wait, mark = prefix .. 'ready', prefix .. 'wait', prefix .. 'skw'
  local seen = redis.call('EXISTS', ready, wait, ready, wait, mark)
  if to_wait then
    redis.call('RPUSH', wait, uuid)
  else
    redis.call('ZADD', ready, score, uuid)
  end
  local marked = seen % 2 == 1
  if (seen < 2 or marked) and wake_channel ~= '' then
    if marked then redis.call('DEL', mark) end
    redis.call('PUBLISH', wake_channel, '1')
  end
  return seen < 2
end

-- Returns 0 created, 1 duplicate (same data already queued), 2 conflict; then, for a created
-- message, whether the queue's ready index was empty or the message went to delayed (the only
-- times a submit needs to add the queue to the namespace's queue set: see submit.lua).
-- `ready_at` '0' is "ready now" (`now` may then be nil: no TIME call for an undelayed message).
-- One SET NX GET both stores and checks for an existing message: a duplicate uses up a seq value,
-- which leaves a gap in the scores and nothing else.
local function enqueue(prefix, wake_channel, now, uuid, priority, ready_at, data)
  local mkey = prefix .. 'm:' .. uuid
  local seq = redis.call('INCR', prefix .. 'seq')
  local score
  local default_priority = priority == '0' and seq < 1e14
  if default_priority then
    -- string.format costs as much as a Redis call; seq alone stays an exact integer far past 2^32.
    score = tostring(seq)
    score = string.rep('0', SCORE_WIDTH - #score) .. score
  else
    score = string.format(SCORE_FORMAT, tonumber(priority) * PRIORITY_SCALE + seq)
  end
  local existing = redis.call('SET', mkey, score .. data, 'NX', 'GET')
  if existing then
    if string.sub(existing, SCORE_WIDTH + 1) == data then return 1, false end
    return 2, false
  end
  if ready_at == '0' or tonumber(ready_at) <= now then
    return 0, make_ready(prefix, uuid, score, wake_channel, default_priority)
  end
  redis.call('ZADD', prefix .. 'delayed', ready_at, uuid)
  return 0, true
end

-- Checks the fence. Returns nil when the write may go ahead, else 'lost' or 'gone'.
-- An empty token is the operator path: any state is accepted.
local function check_fence(prefix, uuid, token)
  if redis.call('EXISTS', prefix .. 'm:' .. uuid) == 0 then return 'gone' end
  if token ~= '' and redis.call('HGET', prefix .. 'lease', uuid) ~= token then return 'lost' end
  return nil
end

-- Fenced writes applied, by lease token, in one hash per queue and minute of server time: a client
-- re-sends a call whose reply was lost, and the re-send must answer 'ok' like the first one did
-- (not 'gone'), so it finds its token in this minute's or the last minute's hash (60 s at least).
local APPLIED_BUCKET_MS = 60000

local function applied_key(prefix, now, minutes_back)
  return prefix .. 'applied:' .. (math.floor(now / APPLIED_BUCKET_MS) - minutes_back)
end

-- Remembers that `operation` applied with `token` (nothing for the unfenced path).
local function record_applied(prefix, now, token, operation)
  if token == '' then return end
  local key = applied_key(prefix, now, 0)
  redis.call('HSET', key, token, operation)
  redis.call('PEXPIRE', key, 2 * APPLIED_BUCKET_MS + 5000)
end

-- Whether `operation` already applied with `token`: the call is a re-send.
local function was_applied(prefix, now, token, operation)
  if token == '' then return false end
  return redis.call('HGET', applied_key(prefix, now, 0), token) == operation
    or redis.call('HGET', applied_key(prefix, now, 1), token) == operation
end

-- Replies remembered for re-sent calls. A call that changes state and answers what it changed (a
-- count, per-item outcomes) carries a reply id, random per call; its first run remembers its reply
-- in the applied:<minute> hash (field 'reply:<id>'), and a re-send of it (ioredis re-sends a call
-- whose reply was lost in a disconnect, with the same arguments) answers that reply instead of what
-- the state says now (nothing left to change). '' as reply id: nothing is remembered.
-- What a first run left under `field` in this or the last minute's applied hash (JSON, decoded),
-- else nil. claim.lua reads its record of leased messages the same way.
local function recall_applied(prefix, now, field)
  for minutes_back = 0, 1 do
    local found = redis.call('HGET', applied_key(prefix, now, minutes_back), field)
    if found then return cjson.decode(found) end
  end
  return nil
end

-- Leaves `value` (as JSON) under `field` in this minute's applied hash, for recall_applied.
local function remember_applied(prefix, now, field, value)
  record_applied(prefix, now, field, cjson.encode(value))
end

local function remembered_reply(prefix, now, reply_id)
  if reply_id == '' then return nil end
  return recall_applied(prefix, now, 'reply:' .. reply_id)
end

-- Remembers `reply` for a re-send of the call with `reply_id` (see remembered_reply), returns it.
local function remember_reply(prefix, now, reply_id, reply)
  if reply_id ~= '' then remember_applied(prefix, now, 'reply:' .. reply_id, reply) end
  return reply
end

-- Checks the fence of `operation`. Returns nil when it may go ahead; else its answer: 'ok' for a
-- re-send of one that applied (nothing more to do), 'lost' or 'gone'.
local function fenced_answer(prefix, uuid, token, operation, now)
  local refused = check_fence(prefix, uuid, token)
  if refused and was_applied(prefix, now, token, operation) then return 'ok' end
  return refused
end

-- Statuses are keyed values stored as STATUS_MARK, their 16-digit rank, then the serialized value
-- (the client strips the first two on read), so a script can compare ranks without decoding.

-- Writes a status and publishes it: unless forced, only when the stored one (if any status is
-- stored) has a lower rank. Returns 1 when written, else 0; and 1 when the stored status is this
-- very write (same rank, same value, whose `updatedAt` is in ms): ioredis re-sent a call whose
-- reply was lost, and the first run applied it (nothing is written or published again).
local function write_status(key, rank, payload, ttl_ms, channel, force)
  if not force then
    local head = redis.call('GETRANGE', key, 0, STATUS_HEAD_WIDTH - 1)
    if string.sub(head, 1, 2) == STATUS_MARK and tonumber(string.sub(head, 3)) >= tonumber(rank) then
      if string.sub(head, 3) == rank and redis.call('GET', key) == STATUS_MARK .. rank .. payload then return 1 end
      return 0
    end
  end
  local ttl = tonumber(ttl_ms)
  if ttl > 0 then
    redis.call('SET', key, STATUS_MARK .. rank .. payload, 'PX', ttl)
  else
    redis.call('SET', key, STATUS_MARK .. rank .. payload)
  end
  if channel ~= '' then redis.call('PUBLISH', channel, payload) end
  return 1
end

-- Takes the listed messages out of every index (a message is in one). The wait list is searched
-- (LREM, O(length)) only for those found in no zset: a settled message is active, so acks and
-- failures never scan it; removing a message still waiting does.
local function unindex_messages(prefix, uuids)
  local found = 0
  for _, index in ipairs({ 'active', 'delayed', 'ready' }) do
    found = found + redis.call('ZREM', prefix .. index, unpack(uuids))
    if found == #uuids then return end
  end
  for _, uuid in ipairs(uuids) do
    found = found + redis.call('LREM', prefix .. 'wait', 1, uuid)
    if found == #uuids then return end
  end
end

-- Takes the message out of every index and deletes it.
local function unlink_message(prefix, uuid)
  unindex_messages(prefix, { uuid })
  redis.call('DEL', prefix .. 'm:' .. uuid)
  redis.call('HDEL', prefix .. 'lease', uuid)
  redis.call('HDEL', prefix .. 'exp', uuid)
end

local function store_result(prefix, now, uuid, value, ttl_ms, progenitor, channel, payload)
  local rkey = prefix .. 'r:' .. uuid
  redis.call('DEL', rkey)
  redis.call('HSET', rkey, 'v', value, 'p', progenitor)
  local ttl = tonumber(ttl_ms)
  if ttl > 0 then redis.call('PEXPIRE', rkey, ttl) end
  if progenitor ~= '' then
    local index = prefix .. 'rd:' .. progenitor
    redis.call('ZADD', index, now, uuid)
    -- The index lives as long as its longest-lived result.
    local current = redis.call('PTTL', index)
    if ttl <= 0 then
      redis.call('PERSIST', index)
    elseif current ~= -1 and current < ttl then
      redis.call('PEXPIRE', index, ttl)
    end
  end
  if channel ~= '' then redis.call('PUBLISH', channel, payload) end
end

-- Acks ('c') and failures ('f') are counted per queue per minute in hash `tp:<epoch minute>`,
-- which expires an hour after its minute: the counters need no cleanup and cost one HINCRBY (and
-- one PEXPIRE when a minute's hash is created) in the script that acks or fails.
local THROUGHPUT_TTL_MS = 61 * 60000
local function count_throughput(prefix, now, field, n)
  local key = prefix .. 'tp:' .. math.floor(now / 60000)
  if redis.call('HINCRBY', key, field, n) == n then redis.call('PEXPIRE', key, THROUGHPUT_TTL_MS) end
end

-- Appends an event to the queue's stream, capped near `max_len` entries (MAXLEN ~ trims whole
-- nodes, so it costs O(1) amortised). `...` are extra field/value pairs.
local function add_event(prefix, max_len, kind, uuid, attempt, ...)
  redis.call('XADD', prefix .. 'events', 'MAXLEN', '~', max_len, '*', 't', kind, 'u', uuid, 'a', attempt, ...)
end

-- The attempt of a queued message as the event stream knows it ('0' until a retry recorded one).
local function attempt_of(prefix, uuid)
  return redis.call('HGET', prefix .. 'att', uuid) or '0'
end

-- Field/value pairs of an event's error ('' name: none).
local function error_fields(name, text)
  if name == '' then return {} end
  return { 'e', name, 'm', text }
end
