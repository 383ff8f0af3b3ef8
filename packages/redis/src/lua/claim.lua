-- Claim up to N ready messages across queues (in order) under new leases.
-- KEYS per queue, 4 each: ready, delayed, active, outbox
-- ARGV[1] limit, ARGV[2] lease ms, ARGV[3] token prefix (random per call),
-- ARGV[4] max moves per index per call (bounds the work of due-delayed / expired-lease moves),
-- ARGV[5] event stream cap ('0': no events), then ARGV[5 + i] the key prefix of queue i, then
-- (after the Q prefixes, none or more) the task names this claim skips (ClaimRequest.skipTasks)
-- Returns { nextReadyInMs (-1: nothing pending, -2: limit reached, 0: ready entries remain although
--           fewer than the limit were taken), outbox length, number D of dropped index entries,
--           then per queue that gave messages: queue index, message count, flags (1: expired-lease
--           counts follow, 2: ranks follow), then per message: uuid, stored value (16-digit score,
--           then the data), its expired-lease count if they follow, its rank if they follow,
--           then D pairs: queue index, uuid of an index entry whose message was gone (dropped) }
-- A re-sent claim (ioredis re-sends a call whose reply was lost in a disconnect; same ARGV, so the
-- same token prefix) takes nothing new: it answers the messages the first run leased that still
-- hold its tokens, with their ranks, from the record the first run left in the first queue's
-- applied:<minute> hash (field 'claim:<token prefix>', the uuids and queue indexes in rank order).
-- Every move is validated before it mutates: a score is read and checked before its uuid leaves
-- an index, so no error can leave a message in no index. A stored value whose prefix is not a
-- score is leased like any other message; the client dead-letters it.
-- The token of the n-th message taken by this call (counting across queues, from 1) is the token
-- prefix followed by n; the client rebuilds it instead of receiving it.
-- Flow control, per queue, from <prefix>ctl (see queue_control in common.lua): a paused queue is
-- skipped (its due delayed messages and expired leases still move) and adds nothing to
-- nextReadyInMs; a rate limit caps what is taken by the room left in <prefix>rlw (claim times,
-- sliding window) and, when it stopped the claim, nextReadyInMs says when the window frees; a
-- message of a task at its limit (<prefix>rlw:<task>) is moved to delayed until that window frees.
-- Skipped tasks: a popped message of a skipped task is put back into ready with the score it was
-- popped with (its place) once the queue is done, so the pops after it reach the messages behind
-- it; it counts toward nothing (limit, rate limits) and alone never makes nextReadyInMs say 0. At
-- the MAX_SKIPPED_PER_QUEUE + 1st skipped message the queue stops, answered as if it were empty.
-- A claim that put skipped messages back and took fewer than its limit marks the queue (<prefix>skw)
-- so that the next message made ready wakes its consumer, which waits on a ready set that is not
-- empty (see make_ready in common.lua).

-- Messages one claim may postpone per queue because their task is at its rate limit.
local MAX_POSTPONEMENTS = 1000

-- 'max:durationMs:countingWindowMs' -> max, counting window (durationMs plus the claim-to-start
-- margin, computed by the client: countingWindowMs in core)
local function parse_limit(text)
  local max, _, window = string.match(text, '^(%d+):(%d+):(%d+)$')
  return tonumber(max), tonumber(window)
end

-- A sliding window of claim times (zset: token -> claim time), trimmed to the last `dur` ms (the
-- counting window).
local function open_window(key, max, dur, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - dur)
  return { key = key, max = max, dur = dur, used = redis.call('ZCARD', key) }
end

-- Counts claims (tokens) at `now` in a window; the window key lives as long as its entries.
local function count_in_window(window, now, tokens)
  local entries = {}
  for _, token in ipairs(tokens) do
    entries[#entries + 1] = now
    entries[#entries + 1] = token
  end
  call_in_chunks('ZADD', window.key, entries)
  redis.call('PEXPIRE', window.key, window.dur + 1000)
  window.used = window.used + #tokens
end

-- When a full window gets room again: the entry that makes it full leaves it.
local function window_free_at(window, now)
  if window.used < window.max then return now end
  local first = redis.call('ZRANGE', window.key, window.used - window.max, window.used - window.max, 'WITHSCORES')
  if first[2] == nil then return now end
  return tonumber(first[2]) + window.dur
end

-- The queue's flow control from <prefix>ctl (fields: paused '1', rl 'max:dur', tasks = number
-- of t:<task> 'max:dur' fields): one HMGET; windows are opened only for limits that exist.
local function queue_control(prefix, now)
  local fields = redis.call('HMGET', prefix .. 'ctl', 'paused', 'rl', 'tasks')
  local control = { paused = fields[1] == '1', prefix = prefix }
  if fields[2] then
    local max, dur = parse_limit(fields[2])
    control.window = open_window(prefix .. 'rlw', max, dur, now)
    control.window_room = math.max(0, max - control.window.used)
  end
  -- Task windows by task name, opened on first sight (false: the task has no limit).
  if fields[3] and tonumber(fields[3]) > 0 then control.tasks = {} end
  return control
end

-- The task name of a stored message (after its score), read from the head of its data: the
-- compact form always starts with taskName, and task names need no JSON escaping. JSON and
-- SuperJSON layouts are recognised; a message in another layout is not task-limited.
local function stored_task_name(stored)
  local data = string.sub(stored, SCORE_WIDTH + 1)
  return string.match(data, '^{"taskName":"([^"]*)"') or string.match(data, '^{"json":{"taskName":"([^"]*)"')
end

-- The window of the stored message's task when that task has a limit, else nil.
local function task_window(control, stored, now)
  local name = stored_task_name(stored)
  if not name then return nil end
  local window = control.tasks[name]
  if window == nil then
    local text = redis.call('HGET', control.prefix .. 'ctl', 't:' .. name)
    if text then
      local max, dur = parse_limit(text)
      window = open_window(control.prefix .. 'rlw:' .. name, max, dur, now)
      window.postponed = 0
    else
      window = false
    end
    control.tasks[name] = window
  end
  return window or nil
end

local limit, lease_ms, token_prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local max_moves = tonumber(ARGV[4])
local events = tonumber(ARGV[5])
local now = now_ms()
local out = { -1, 0, 0 }
local taken = 0
-- (queue index, uuid) of every message taken, in rank order: the record a re-send reads.
local record = {}
local record_field = 'claim:' .. token_prefix
local next_at = nil
local dropped = {}

-- Lowest possible score: a corrupt message goes to the head of ready, so the next claim takes it
-- and the client dead-letters it instead of it waiting behind the whole queue.
local CORRUPT_SCORE = string.rep('0', SCORE_WIDTH)

-- `score` when it is a valid one (SCORE_WIDTH digits), else CORRUPT_SCORE (ZADD would fail on it
-- half-way).
local function checked_score(score)
  if #score ~= SCORE_WIDTH or string.find(score, '%D') then return CORRUPT_SCORE end
  return score
end

-- The score to put a message back in ready with: nil when its message is gone; CORRUPT_SCORE when
-- its stored value does not start with a valid score.
local function claimable_score(prefix, uuid)
  local score = message_score(prefix, uuid)
  if score == nil then
    if redis.call('EXISTS', prefix .. 'm:' .. uuid) == 0 then return nil end
    return CORRUPT_SCORE
  end
  return checked_score(score)
end
local queues = #KEYS / 4

-- Pops up to n ready entries in score order from the zset `ready` and the wait list (in score
-- order itself, see make_ready), as uuid, score pairs like ZPOPMIN's reply; an entry from the wait
-- list has `false` for its score (its message's stored value starts with it).
-- Wait entries are all of the default priority: they come before every zset entry of a higher
-- priority, so only a zset head of the default priority (a message made ready again: released,
-- retried, due from delayed, put back) needs a merge, which reads the wait entries' scores.
local function take_ready(ready, wait, prefix, n)
  local head = redis.call('ZRANGE', ready, 0, 0, 'WITHSCORES')
  if head[2] == nil or tonumber(head[2]) >= PRIORITY_SCALE then
    local popped = {}
    local waiting = redis.call('LRANGE', wait, 0, n - 1)
    if #waiting > 0 then
      redis.call('LTRIM', wait, #waiting, -1)
      for _, uuid in ipairs(waiting) do
        popped[#popped + 1] = uuid
        popped[#popped + 1] = false
      end
    end
    if #waiting < n and head[2] ~= nil then
      local more = redis.call('ZPOPMIN', ready, n - #waiting)
      for _, item in ipairs(more) do popped[#popped + 1] = item end
    end
    return popped
  end
  local waiting = redis.call('LRANGE', wait, 0, n - 1)
  if #waiting == 0 then return redis.call('ZPOPMIN', ready, n) end
  local scored = redis.call('ZRANGE', ready, 0, n - 1, 'WITHSCORES')
  local message_keys = {}
  for i, uuid in ipairs(waiting) do message_keys[i] = prefix .. 'm:' .. uuid end
  local stored_list = collect_in_chunks('MGET', nil, message_keys)
  local scores = {}
  for i = 1, #waiting do
    -- A wait entry whose message is gone is taken first: the claim drops it.
    scores[i] = stored_list[i] and tonumber(string.sub(stored_list[i], 1, SCORE_WIDTH)) or -1
  end
  local popped = {}
  local from_wait, from_zset = 0, 0
  while from_wait + from_zset < n do
    local w, z = waiting[from_wait + 1], scored[from_zset * 2 + 1]
    if w == nil and z == nil then break end
    if z == nil or (w ~= nil and scores[from_wait + 1] < tonumber(scored[from_zset * 2 + 2])) then
      from_wait = from_wait + 1
      popped[#popped + 1] = w
      popped[#popped + 1] = false
    else
      from_zset = from_zset + 1
      popped[#popped + 1] = z
      popped[#popped + 1] = scored[from_zset * 2]
    end
  end
  if from_wait > 0 then redis.call('LTRIM', wait, from_wait, -1) end
  if from_zset > 0 then redis.call('ZPOPMIN', ready, from_zset) end
  return popped
end

-- The task names this claim skips, as a set; nil when there are none (the usual claim, which then
-- reads no task name for it).
local skip = nil
if #ARGV > 5 + queues then
  skip = {}
  for i = 6 + queues, #ARGV do skip[ARGV[i]] = true end
end


-- The answer to a re-send: the messages of `first` still leased under their tokens, with ranks.
local function answer_resend(first)
  local answer = { 0, 0, 0 }
  for q = 1, queues do answer[2] = answer[2] + redis.call('LLEN', KEYS[q * 4]) end
  local count_at, count_queue = nil, nil
  for rank = 1, #first / 2 do
    local q, uuid = first[rank * 2 - 1], first[rank * 2]
    local prefix = ARGV[5 + q]
    local stored = redis.call('GET', prefix .. 'm:' .. uuid)
    if stored and redis.call('HGET', prefix .. 'lease', uuid) == token_prefix .. rank then
      if count_queue ~= q then
        answer[#answer + 1] = q
        count_at = #answer + 1
        answer[count_at] = 0
        answer[#answer + 1] = 3
        count_queue = q
      end
      answer[count_at] = answer[count_at] + 1
      answer[#answer + 1] = uuid
      answer[#answer + 1] = stored
      answer[#answer + 1] = tonumber(redis.call('HGET', prefix .. 'exp', uuid)) or 0
      answer[#answer + 1] = rank
    end
  end
  return answer
end

-- The record of this claim's first run when this call is a re-send of it.
local first = recall_applied(ARGV[6], now, record_field)
if first then return answer_resend(first) end

for q = 1, queues do
  local ready, delayed, active, outbox = KEYS[q * 4 - 3], KEYS[q * 4 - 2], KEYS[q * 4 - 1], KEYS[q * 4]
  local prefix = ARGV[5 + q]
  local wait = prefix .. 'wait'
  local lease_key, exp_key = prefix .. 'lease', prefix .. 'exp'
  out[2] = out[2] + redis.call('LLEN', outbox)
  -- Due delayed messages go back to their place by priority and arrival.
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, max_moves)
  for _, uuid in ipairs(due) do
    local score = claimable_score(prefix, uuid)
    redis.call('ZREM', delayed, uuid)
    if score then
      redis.call('ZADD', ready, score, uuid)
    else
      dropped[#dropped + 1] = q
      dropped[#dropped + 1] = uuid
    end
  end
  -- Expired leases: the holder died or stalled; no retry is consumed, only counted (and recorded
  -- as a 'stalled' event when events are on).
  local expired = redis.call('ZRANGEBYSCORE', active, '-inf', now, 'LIMIT', 0, max_moves)
  for _, uuid in ipairs(expired) do
    local score = claimable_score(prefix, uuid)
    redis.call('ZREM', active, uuid)
    redis.call('HDEL', lease_key, uuid)
    if score then
      redis.call('HINCRBY', exp_key, uuid, 1)
      redis.call('ZADD', ready, score, uuid)
      if events > 0 then add_event(prefix, events, 'stalled', uuid, attempt_of(prefix, uuid)) end
    else
      redis.call('HDEL', exp_key, uuid)
      dropped[#dropped + 1] = q
      dropped[#dropped + 1] = uuid
    end
  end
  -- Flow control (see queue_control above): one HMGET when the queue has none.
  local control = queue_control(prefix, now)
  local room = limit - taken
  if control.paused then room = 0 end
  if control.window and control.window_room < room then room = control.window_room end
  local any_expired = nil
  local count_at = nil
  local postponed = 0
  -- Skipped messages (and, once the bound stops the queue, the rest of its batch): score, uuid
  -- pairs for the ZADD that puts them back.
  local put_back = {}
  local skipped = 0
  local skip_bound_hit = false
  while room > 0 do
    local popped = take_ready(ready, wait, prefix, room)
    if #popped == 0 then break end
    -- Most queues never had a lease expire: then there is no count to look up per message.
    if any_expired == nil then any_expired = redis.call('EXISTS', exp_key) == 1 end
    -- One MGET, one HSET and one ZADD for the whole batch instead of three calls per message.
    local message_keys = {}
    for i = 1, #popped, 2 do message_keys[#message_keys + 1] = prefix .. 'm:' .. popped[i] end
    local stored_list = collect_in_chunks('MGET', nil, message_keys)
    local leases, expiries, window_entries = {}, {}, {}
    local expires_at = now + lease_ms
    if count_at == nil then
      out[#out + 1] = q
      count_at = #out + 1
      out[count_at] = 0
      out[#out + 1] = any_expired and 1 or 0
    end
    local skipped_in_batch = 0
    for j = 1, #message_keys do
      local stored = stored_list[j]
      local uuid = popped[j * 2 - 1]
      local task_at, window = nil, nil
      local set_aside = skip_bound_hit
      if skip and stored and not set_aside then
        local name = stored_task_name(stored)
        if name and skip[name] then
          if skipped >= MAX_SKIPPED_PER_QUEUE then skip_bound_hit = true else skipped = skipped + 1 end
          skipped_in_batch = skipped_in_batch + 1
          set_aside = true
        end
      end
      if stored and control.tasks and not set_aside then window = task_window(control, stored, now) end
      if window and window.used >= window.max then
        -- Spread a backlog of one task over the windows ahead instead of bringing it all back at
        -- once; a message that comes back too early is postponed again.
        if not window.free_at then window.free_at = window_free_at(window, now) end
        task_at = window.free_at + math.floor(window.postponed / window.max) * window.dur
        window.postponed = window.postponed + 1
      end
      if not stored then
        dropped[#dropped + 1] = q
        dropped[#dropped + 1] = uuid
      elseif set_aside then
        put_back[#put_back + 1] = popped[j * 2] or checked_score(string.sub(stored, 1, SCORE_WIDTH))
        put_back[#put_back + 1] = uuid
      elseif task_at then
        -- Its task is at its limit: delayed until its window frees, unchanged, no retry used.
        redis.call('ZADD', delayed, task_at, uuid)
        postponed = postponed + 1
      else
        taken = taken + 1
        room = room - 1
        local token = token_prefix .. taken
        leases[#leases + 1] = uuid
        leases[#leases + 1] = token
        expiries[#expiries + 1] = expires_at
        expiries[#expiries + 1] = uuid
        if control.window then window_entries[#window_entries + 1] = token end
        if window then count_in_window(window, now, { token }) end
        out[count_at] = out[count_at] + 1
        record[#record + 1] = q
        record[#record + 1] = uuid
        out[#out + 1] = uuid
        out[#out + 1] = stored
        if any_expired then out[#out + 1] = tonumber(redis.call('HGET', exp_key, uuid)) or 0 end
        if events > 0 then add_event(prefix, events, 'started', uuid, attempt_of(prefix, uuid)) end
      end
    end
    if #leases > 0 then
      -- A field no uuid can be (uuids hold no spaces) with a value longer than
      -- hash-max-listpack-value keeps the lease hash a real hash table for good: a busy queue
      -- holds around 128 leases, where a listpack (scanned on every HSET/HGET/HDEL) would
      -- otherwise keep converting back and forth.
      redis.call('HSETNX', lease_key, LEASE_TABLE_PIN, LEASE_TABLE_PIN_VALUE)
      call_in_chunks('HSET', lease_key, leases)
      call_in_chunks('ZADD', active, expiries)
    end
    if #window_entries > 0 then count_in_window(control.window, now, window_entries) end
    -- Without task limits or skips one pop is all: every popped message was taken or dropped.
    if skip_bound_hit or postponed >= MAX_POSTPONEMENTS then break end
    if not control.tasks and skipped_in_batch == 0 then break end
  end
  if taken < limit and not control.paused then
    -- Fewer taken than asked although ready entries remain (popped uuids whose message was gone
    -- were dropped, or the rate limit stopped the claim): say when work can be taken, so the
    -- consumer claims again instead of waiting for a wake-up that only an empty ready set would get.
    -- Counted before the skipped messages go back: they alone leave the queue as good as empty.
    if not skip_bound_hit and redis.call('EXISTS', ready, wait) > 0 then
      local at = now
      if control.window and room <= 0 then at = window_free_at(control.window, now) end
      if next_at == nil or at < next_at then next_at = at end
    end
    for _, key in ipairs({ delayed, active }) do
      local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      if first[2] then
        local at = tonumber(first[2])
        if next_at == nil or at < next_at then next_at = at end
      end
    end
  end
  if #put_back > 0 then
    call_in_chunks('ZADD', ready, put_back)
    if taken < limit then redis.call('SET', prefix .. 'skw', '1') end
  end
end
if taken > 0 then remember_applied(ARGV[6], now, record_field, record) end
out[3] = #dropped / 2
for _, item in ipairs(dropped) do out[#out + 1] = item end
if taken >= limit then
  out[1] = -2
elseif next_at ~= nil then
  out[1] = math.max(0, next_at - now)
end
return out
