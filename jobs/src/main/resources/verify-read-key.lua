-- verify: one key's type and value with the server time of the read, atomically, laid out as the
-- job's source lays out its records, so that both map through the same mapper.
-- KEYS[1]: the key. ARGV[1]: the most elements of a hash, list, set or sorted set to read;
-- ARGV[2]: the most bytes of a string (the source's read limits: a bigger value is a dead letter).
-- Returns {type, seconds, microseconds[, {value...}]}; no value when the key is gone or over a limit.
local key = KEYS[1]
local max_elements = tonumber(ARGV[1])
local max_bytes = tonumber(ARGV[2])
local key_type = redis.call('TYPE', key)['ok']
local now = redis.call('TIME')
local reply = {key_type, tonumber(now[1]), tonumber(now[2])}
local value = nil
if key_type == 'hash' then
  if redis.call('HLEN', key) <= max_elements then value = redis.call('HGETALL', key) end
elseif key_type == 'string' then
  if redis.call('STRLEN', key) <= max_bytes then value = {redis.call('GET', key)} end
elseif key_type == 'list' then
  if redis.call('LLEN', key) <= max_elements then value = redis.call('LRANGE', key, 0, -1) end
elseif key_type == 'set' then
  if redis.call('SCARD', key) <= max_elements then value = redis.call('SMEMBERS', key) end
elseif key_type == 'zset' then
  if redis.call('ZCARD', key) <= max_elements then
    value = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  end
elseif key_type == 'ReJSON-RL' then
  value = {redis.call('JSON.GET', key)}
end
if value ~= nil then
  reply[4] = value
end
return reply
