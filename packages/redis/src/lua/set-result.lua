-- Store a result outside of ack and announce it.
-- KEYS[1] the result key (fixes the slot)
-- ARGV[1] prefix, ARGV[2] uuid, ARGV[3] serialized value, ARGV[4] ttl ms (0: none),
-- ARGV[5] progenitor uuid (''), ARGV[6] channel (''), ARGV[7] published payload
store_result(ARGV[1], now_ms(), ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
return 1
