-- Helpers of the schedule scripts (schedule-*.lua), prepended to them after common.lua (not a
-- script of its own; kept out of common.lua, which runs with every script).
-- A queue's stored schedules: s:<name> (hash, one per trigger task: t trigger, d definition,
-- r revision, m template (serialized message data), n next slot (epoch ms; '' = never again),
-- p paused ('1' or '0'), f fires, l the last fire that submitted: '<slot>:<uuid>') and schedules
-- (zset of their names, every score 0), under the queue's key prefix, so on its Cluster slot.

-- Appends the schedule at `key` to `out`, its fields in the order above; returns `out`.
local function append_schedule(out, key)
  local values = redis.call('HMGET', key, 't', 'd', 'r', 'm', 'n', 'p', 'f')
  for i = 1, 7 do out[#out + 1] = values[i] end
  return out
end
