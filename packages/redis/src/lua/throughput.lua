-- Acks and failures of one queue per minute, the last N minutes on server time.
-- KEYS[1] the queue's ready key (routes the call to the queue's slot, where its counters live)
-- ARGV[1] prefix, ARGV[2] minutes
-- Returns { current epoch minute, then per minute, oldest first: acks, failures }
local prefix, minutes = ARGV[1], tonumber(ARGV[2])
local current = math.floor(now_ms() / 60000)
local out = { current }
for minute = current - minutes + 1, current do
  local counts = redis.call('HMGET', prefix .. 'tp:' .. minute, 'c', 'f')
  out[#out + 1] = tonumber(counts[1]) or 0
  out[#out + 1] = tonumber(counts[2]) or 0
end
return out
