-- A message and the index it is in: queued (ready, delayed, active) or dead-lettered.
-- KEYS[1] delayed, KEYS[2] active, KEYS[3] dead (all of the message's queue)
-- ARGV[1] prefix, ARGV[2] uuid
-- Returns { state, stored value, index score ('' for ready) }, or {} when it is neither queued
-- nor dead-lettered.
local prefix, uuid = ARGV[1], ARGV[2]
local stored = redis.call('GET', prefix .. 'm:' .. uuid)
if stored then
  local at = redis.call('ZSCORE', KEYS[1], uuid)
  if at then return { 'delayed', stored, at } end
  at = redis.call('ZSCORE', KEYS[2], uuid)
  if at then return { 'active', stored, at } end
  return { 'ready', stored, '' }
end
local dead = redis.call('GET', prefix .. 'dead:' .. uuid)
if dead then return { 'dead', dead, redis.call('ZSCORE', KEYS[3], uuid) or '' } end
return {}
