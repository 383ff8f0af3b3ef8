-- Claim up to N ready messages across queues (in order) under new leases.
-- KEYS per queue, 4 each: ready, delayed, active, outbox
-- ARGV[1] limit, ARGV[2] lease ms, ARGV[3] token prefix (random per call),
-- ARGV[4] max moves per index per call (bounds the work of due-delayed / expired-lease moves),
-- then ARGV[4 + i] the key prefix of queue i
-- Returns { nextReadyInMs (-1: nothing pending, -2: limit reached, 0: ready entries remain although
--           fewer than the limit were taken), outbox length,
--           then per queue that gave messages: queue index, message count, 1 if expired-lease
--           counts follow (else 0), then per message: uuid, stored value (16-digit score, then
--           the data), and its expired-lease count if they follow }
-- The token of the n-th message taken by this call (counting across queues, from 1) is the token
-- prefix followed by n; the client rebuilds it instead of receiving it.
local limit, lease_ms, token_prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local max_moves = tonumber(ARGV[4])
local now = now_ms()
local out = { -1, 0 }
local taken = 0
local next_at = nil
local queues = #KEYS / 4
for q = 1, queues do
  local ready, delayed, active, outbox = KEYS[q * 4 - 3], KEYS[q * 4 - 2], KEYS[q * 4 - 1], KEYS[q * 4]
  local prefix = ARGV[4 + q]
  local lease_key, exp_key = prefix .. 'lease', prefix .. 'exp'
  out[2] = out[2] + redis.call('LLEN', outbox)
  -- Due delayed messages go back to their place by priority and arrival.
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, max_moves)
  for _, uuid in ipairs(due) do
    redis.call('ZREM', delayed, uuid)
    local score = message_score(prefix, uuid)
    if score then redis.call('ZADD', ready, score, uuid) end
  end
  -- Expired leases: the holder died or stalled; no retry is consumed, only counted.
  local expired = redis.call('ZRANGEBYSCORE', active, '-inf', now, 'LIMIT', 0, max_moves)
  for _, uuid in ipairs(expired) do
    redis.call('ZREM', active, uuid)
    local score = message_score(prefix, uuid)
    if score then
      redis.call('HINCRBY', exp_key, uuid, 1)
      redis.call('HDEL', lease_key, uuid)
      redis.call('ZADD', ready, score, uuid)
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
      if stored then
        local uuid = popped[j * 2 - 1]
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
if taken >= limit then
  out[1] = -2
elseif next_at ~= nil then
  out[1] = math.max(0, next_at - now)
end
return out
