-- verify: one key's type and, for a hash, its fields, with the server time of the read, atomically.
-- KEYS[1]: the key. Returns {type, seconds, microseconds[, {field, value, ...}]}.
local key_type = redis.call('TYPE', KEYS[1])['ok']
local now = redis.call('TIME')
if key_type == 'hash' then
  return {key_type, tonumber(now[1]), tonumber(now[2]), redis.call('HGETALL', KEYS[1])}
end
return {key_type, tonumber(now[1]), tonumber(now[2])}
