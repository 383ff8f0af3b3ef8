-- Extend leases of one queue by lease ms from now (server time).
-- KEYS[1] active
-- ARGV[1] queue key prefix, ARGV[2] lease ms, then pairs: uuid, token
-- Returns one code per lease: 0 ok, 1 lost, 2 gone.
local prefix, lease_ms = ARGV[1], tonumber(ARGV[2])
local lease_key = prefix .. 'lease'
local now = now_ms()
local out = {}
for i = 3, #ARGV, 2 do
  local uuid, token = ARGV[i], ARGV[i + 1]
  if redis.call('EXISTS', prefix .. 'm:' .. uuid) == 0 then
    out[#out + 1] = 2
  elseif redis.call('HGET', lease_key, uuid) ~= token then
    out[#out + 1] = 1
  else
    redis.call('ZADD', KEYS[1], now + lease_ms, uuid)
    out[#out + 1] = 0
  end
end
return out
