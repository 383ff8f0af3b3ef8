-- Counts of one queue, on server time (due delayed messages count as ready).
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] active, KEYS[4] dead, KEYS[5] wait
-- Returns { ready, delayed, active, dead }.
local now = now_ms()
local due = redis.call('ZCOUNT', KEYS[2], '-inf', now)
return {
  redis.call('ZCARD', KEYS[1]) + redis.call('LLEN', KEYS[5]) + due,
  redis.call('ZCARD', KEYS[2]) - due,
  redis.call('ZCARD', KEYS[3]),
  redis.call('ZCOUNT', KEYS[4], '(' .. now, '+inf'),
}
