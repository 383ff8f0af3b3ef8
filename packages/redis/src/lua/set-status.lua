-- Write a status as a guarded transition: only above the stored rank; publish it when written.
-- KEYS[1] the status key
-- ARGV[1] rank (16 digits), ARGV[2] serialized status, ARGV[3] ttl ms (0: none),
-- ARGV[4] channel ('' = none)
-- Returns 1 when written, else 0.
return write_status(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], false)
