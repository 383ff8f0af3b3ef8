-- Claim up to N ready messages across queues (in order) under new leases.
-- KEYS per queue, 4 each: ready, delayed, active, outbox
-- ARGV[1] limit, ARGV[2] lease ms, ARGV[3] token prefix (random per call),
-- ARGV[4] max moves per index per call (bounds the work of due-delayed / expired-lease moves),
-- then ARGV[4 + i] the key prefix of queue i
-- Returns { nextReadyInMs (-1: nothing pending, -2: limit reached, 0: ready entries remain although
--           fewer than the limit were taken), outbox length, number D of dropped index entries,
--           then per queue that gave messages: queue index, message count, 1 if expired-lease
--           counts follow (else 0), then per message: uuid, stored value (16-digit score, then
--           the data), and its expired-lease count if they follow,
--           then D pairs: queue index, uuid of an index entry whose message was gone (dropped) }
-- Every move is validated before it mutates: a score is read and checked before its uuid leaves
-- an index, so no error can leave a message in no index. A stored value whose prefix is not a
-- score is leased like any other message; the client dead-letters it.
-- The token of the n-th message taken by this call (counting across queues, from 1) is the token
-- prefix followed by n; the client rebuilds it instead of receiving it.
local limit, lease_ms, token_prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local max_moves = tonumber(ARGV[4])
local now = now_ms()
local out = { -1, 0, 0 }
local taken = 0
local next_at = nil
local dropped = {}

-- Lowest possible score: a corrupt message goes to the head of ready, so the next claim takes it
-- and the client dead-letters it instead of it waiting behind the whole queue.
local CORRUPT_SCORE = string.rep('0', SCORE_WIDTH)

-- The score to put a message back in ready with: nil when its message is gone; CORRUPT_SCORE when
-- its stored value does not start with a valid score (ZADD would fail on it half-way).
local function claimable_score(prefix, uuid)
  local score = message_score(prefix, uuid)
  if score == nil then
    if redis.call('EXISTS', prefix .. 'm:' .. uuid) == 0 then return nil end
    return CORRUPT_SCORE
  end
  if #score ~= SCORE_WIDTH or string.find(score, '%D') then return CORRUPT_SCORE end
  return score
end
local queues = #KEYS / 4
for q = 1, queues do
  local ready, delayed, active, outbox = KEYS[q * 4 - 3], KEYS[q * 4 - 2], KEYS[q * 4 - 1], KEYS[q * 4]
  local prefix = ARGV[4 + q]
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
  -- Expired leases: the holder died or stalled; no retry is consumed, only counted.
  local expired = redis.call('ZRANGEBYSCORE', active, '-inf', now, 'LIMIT', 0, max_moves)
  for _, uuid in ipairs(expired) do
    local score = claimable_score(prefix, uuid)
    redis.call('ZREM', active, uuid)
    redis.call('HDEL', lease_key, uuid)
    if score then
      redis.call('HINCRBY', exp_key, uuid, 1)
      redis.call('ZADD', ready, score, uuid)
    else
      redis.call('HDEL', exp_key, uuid)
      dropped[#dropped + 1] = q
      dropped[#dropped + 1] = uuid
    end
  end
  local popped = taken < limit and redis.call('ZPOPMIN', ready, limit - taken) or {}
  if #popped > 0 then
    -- Most queues never had a lease expire: then there is no count to look up per message.
    local any_expired = redis.call('EXISTS', exp_key) == 1
    -- One MGET, one HSET and one ZADD for the whole batch instead of three calls per message.
    local message_keys = {}
    for i = 1, #popped, 2 do message_keys[#message_keys + 1] = prefix .. 'm:' .. popped[i] end
    local stored_list = collect_in_chunks('MGET', nil, message_keys)
    local leases, expiries = {}, {}
    local expires_at = now + lease_ms
    out[#out + 1] = q
    local count_at = #out + 1
    out[count_at] = 0
    out[#out + 1] = any_expired and 1 or 0
    for j = 1, #message_keys do
      local stored = stored_list[j]
      local uuid = popped[j * 2 - 1]
      if not stored then
        dropped[#dropped + 1] = q
        dropped[#dropped + 1] = uuid
      else
        taken = taken + 1
        leases[#leases + 1] = uuid
        leases[#leases + 1] = token_prefix .. taken
        expiries[#expiries + 1] = expires_at
        expiries[#expiries + 1] = uuid
        out[count_at] = out[count_at] + 1
        out[#out + 1] = uuid
        out[#out + 1] = stored
        if any_expired then out[#out + 1] = tonumber(redis.call('HGET', exp_key, uuid)) or 0 end
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
  end
  if taken < limit then
    -- Fewer taken than asked although ready entries remain (popped uuids whose message was gone
    -- were dropped): say work is ready now, so the consumer claims again instead of waiting for
    -- a wake-up that only an empty ready set would get.
    if redis.call('ZCARD', ready) > 0 then next_at = now end
    for _, key in ipairs({ delayed, active }) do
      local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      if first[2] then
        local at = tonumber(first[2])
        if next_at == nil or at < next_at then next_at = at end
      end
    end
  end
end
out[3] = #dropped / 2
for _, item in ipairs(dropped) do out[#out + 1] = item end
if taken >= limit then
  out[1] = -2
elseif next_at ~= nil then
  out[1] = math.max(0, next_at - now)
end
return out
