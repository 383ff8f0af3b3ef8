-- Store a running message's progress while its lease holds, and publish it.
-- KEYS[1] the progress key (in the queue's slot: progress:{<queue>}:<uuid>)
-- ARGV[1] queue key prefix, ARGV[2] uuid, ARGV[3] lease token, ARGV[4] serialized progress,
-- ARGV[5] ttl ms (0: none), ARGV[6] channel, ARGV[7] event stream cap ('0': no events),
-- ARGV[8] the attempt
-- Returns 0 ok, 1 lost (another lease holds the message), 2 gone (not queued).
local prefix, uuid = ARGV[1], ARGV[2]
if redis.call('EXISTS', prefix .. 'm:' .. uuid) == 0 then return 2 end
if redis.call('HGET', prefix .. 'lease', uuid) ~= ARGV[3] then return 1 end
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[4])
end
redis.call('PUBLISH', ARGV[6], ARGV[4])
if tonumber(ARGV[7]) > 0 then add_event(prefix, tonumber(ARGV[7]), 'progress', uuid, ARGV[8], 'p', ARGV[4]) end
return 0
