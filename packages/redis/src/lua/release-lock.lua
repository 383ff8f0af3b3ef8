-- Release a lock if the owner holds it.
-- KEYS[1] lock key
-- ARGV[1] owner id
-- Returns 1 when released, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
