-- Release a lock if the owner holds it.
-- KEYS[1] lock key
-- ARGV[1] owner id, ARGV[2] call id (random per call)
-- Returns 1 when released, else 0.
-- A released lock's key holds RELEASED_MARK .. call id for RELEASED_KEEP_MS instead of going at
-- once, so that a re-send of this call (ioredis re-sends a call whose reply was lost in a
-- disconnect; same ARGV) answers 1 like the first run. acquire-lock.lua takes such a key as free,
-- and the backend reads its holder as nobody.
local RELEASED_MARK = '\0released:'
local RELEASED_KEEP_MS = 60000
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('SET', KEYS[1], RELEASED_MARK .. ARGV[2], 'PX', RELEASED_KEEP_MS)
  return 1
end
if holder == RELEASED_MARK .. ARGV[2] then return 1 end
return 0
