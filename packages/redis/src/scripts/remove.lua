-- Remove a message without a trace.
-- KEYS[1] ready, KEYS[2] delayed, KEYS[3] active
-- ARGV[1] prefix, ARGV[2] uuid, ARGV[3] token ('' = unfenced)
-- Returns 'ok' | 'lost' | 'gone'.
local prefix, uuid, token = ARGV[1], ARGV[2], ARGV[3]
local refused = check_fence(prefix, uuid, token)
if refused then return refused end
unlink_message(prefix, uuid)
return 'ok'
