-- Take a lock, or refresh it when the owner already holds it.
-- KEYS[1] lock key
-- ARGV[1] owner id, ARGV[2] ttl ms (0: forever)
-- Returns 1 when held by the owner afterwards, else 0.
local holder = redis.call('GET', KEYS[1])
-- A key release-lock.lua left for a re-sent release: the lock is free.
if holder and string.sub(holder, 1, 10) == '\0released:' then holder = false end
local ttl = tonumber(ARGV[2])
if holder == ARGV[1] then
  if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
  return 1
end
if holder then return 0 end
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
