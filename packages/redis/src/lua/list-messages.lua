-- One page of a queue's index (ready, delayed, active or dead letters) from a cursor position.
-- The cursor is a position (score, uuid), found by ZCOUNT and a binary search over the entries
-- that share its score, so a page costs O(log n + page) and entries added or removed elsewhere
-- never shift it.
-- KEYS[1] the index zset: ready, delayed, active or dead
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
