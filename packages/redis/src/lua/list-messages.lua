-- One page of a queue's index (ready, delayed, active or dead letters) from a cursor position.
-- The cursor is a position (score, uuid), found by ZCOUNT and a binary search over the entries
-- that share its score, so a page costs O(log n + page) and entries added or removed elsewhere
-- never shift it.
-- KEYS[1] the index zset: ready, delayed, active or dead; KEYS[2] with ready: the wait list
-- (ready messages of the default priority in score order, see make_ready in common.lua), merged
-- with the zset by (score, uuid); a position in it is found by a binary search too.
-- ARGV[1] prefix, ARGV[2] 'dead' (data in dead:<uuid>, entries at or before now are expired) or
-- 'queued' (data in m:<uuid>, after the 16-digit score), ARGV[3] 'asc' | 'desc', ARGV[4] limit,
-- ARGV[5] '1' when a cursor follows, ARGV[6] cursor score, ARGV[7] cursor uuid
-- Returns { 1 when entries remain past this page else 0,
--           then per entry: uuid, score, stored value (false when it vanished) }
local key, prefix, dead = KEYS[1], ARGV[1], ARGV[2] == 'dead'
local descending, limit, has_cursor = ARGV[3] == 'desc', tonumber(ARGV[4]), ARGV[5] == '1'

-- Whether a < b in byte order (as the zset orders members), whatever the server's locale.
local function bytes_less(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

-- How many entries come before (score, uuid), counting that entry itself when `inclusive`.
local function rank_of(score, uuid, inclusive)
  local lo = redis.call('ZCOUNT', key, '-inf', '(' .. score)
  local hi = redis.call('ZCOUNT', key, '-inf', score)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local member = redis.call('ZRANGE', key, mid, mid)[1]
    if bytes_less(member, uuid) or (inclusive and member == uuid) then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- A page of the merged ready index: up to `limit` entries of the zset and of the wait list from
-- the cursor's position in each, merged in (score, uuid) order and cut at `limit`, `descending` from
-- the cursor backwards instead. Returns the reply below: the more flag, then the page.
local function ready_page(wait)
  local length = redis.call('LLEN', wait)
  local function wait_score(stored)
    return stored and tonumber(string.sub(stored, 1, SCORE_WIDTH)) or 0
  end
  -- How many wait entries come before (score, uuid), counting that entry itself when `inclusive`.
  local function wait_rank_of(score, uuid, inclusive)
    score = tonumber(score)
    local lo, hi = 0, length
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      local member = redis.call('LINDEX', wait, mid)
      local at = tonumber(message_score(prefix, member)) or 0
      if at < score or (at == score and (bytes_less(member, uuid) or (inclusive and member == uuid))) then
        lo = mid + 1
      else
        hi = mid
      end
    end
    return lo
  end
  local size = redis.call('ZCARD', key)
  local zset_from, zset_to, wait_from, wait_to
  if descending then
    zset_to = (has_cursor and rank_of(ARGV[6], ARGV[7], false) or size) - 1
    wait_to = (has_cursor and wait_rank_of(ARGV[6], ARGV[7], false) or length) - 1
    zset_from, wait_from = math.max(0, zset_to - limit + 1), math.max(0, wait_to - limit + 1)
  else
    zset_from = has_cursor and rank_of(ARGV[6], ARGV[7], true) or 0
    wait_from = has_cursor and wait_rank_of(ARGV[6], ARGV[7], true) or 0
    zset_to, wait_to = zset_from + limit - 1, wait_from + limit - 1
  end
  local candidates = {}
  local scored = zset_to >= zset_from and redis.call('ZRANGE', key, zset_from, zset_to, 'WITHSCORES') or {}
  local waiting = wait_to >= wait_from and redis.call('LRANGE', wait, wait_from, wait_to) or {}
  local data_keys = {}
  for i = 1, #scored, 2 do data_keys[#data_keys + 1] = prefix .. 'm:' .. scored[i] end
  for _, uuid in ipairs(waiting) do data_keys[#data_keys + 1] = prefix .. 'm:' .. uuid end
  local values = #data_keys > 0 and redis.call('MGET', unpack(data_keys)) or {}
  for i = 1, #scored, 2 do
    candidates[#candidates + 1] = { scored[i], tonumber(scored[i + 1]), values[(i + 1) / 2], scored[i + 1] }
  end
  for i, uuid in ipairs(waiting) do
    local value = values[#scored / 2 + i]
    local score = wait_score(value)
    -- Default-priority scores are integers under 1e14: tostring writes them exactly.
    candidates[#candidates + 1] = { uuid, score, value, tostring(score) }
  end
  table.sort(candidates, function(a, b)
    if a[2] ~= b[2] then return (a[2] < b[2]) ~= descending end
    return bytes_less(a[1], b[1]) ~= descending
  end)
  local remaining
  if descending then remaining = (zset_to + 1) + (wait_to + 1)
  else remaining = (size - zset_from) + (length - wait_from) end
  local out = { remaining > limit and 1 or 0 }
  for n = 1, math.min(limit, #candidates) do
    local entry = candidates[n]
    out[#out + 1] = entry[1]
    out[#out + 1] = entry[4]
    out[#out + 1] = entry[3]
  end
  return out
end

if KEYS[2] then return ready_page(KEYS[2]) end

-- Dead letters past their expiry stay in the index until the next fail trims it: skip them.
local floor = dead and redis.call('ZCOUNT', key, '-inf', now_ms()) or 0
local first, last, more
if descending then
  last = (has_cursor and rank_of(ARGV[6], ARGV[7], false) or redis.call('ZCARD', key)) - 1
  first = math.max(floor, last - limit + 1)
  more = first > floor and 1 or 0
else
  first = math.max(floor, has_cursor and rank_of(ARGV[6], ARGV[7], true) or 0)
  last = first + limit - 1
  more = redis.call('ZCARD', key) > last + 1 and 1 or 0
end
local out = { more }
if last < first then return out end
local entries = redis.call('ZRANGE', key, first, last, 'WITHSCORES')
local count = #entries / 2
if count == 0 then return out end
local data_keys = {}
for i = 1, count do
  data_keys[i] = prefix .. (dead and 'dead:' or 'm:') .. entries[i * 2 - 1]
end
local values = redis.call('MGET', unpack(data_keys))
for n = 1, count do
  local i = descending and (count - n + 1) or n
  out[#out + 1] = entries[i * 2 - 1]
  out[#out + 1] = entries[i * 2]
  out[#out + 1] = values[i]
end
return out
