-- Reads one key atomically (nothing runs between the calls of a script): its type, the server
-- time, its PTTL, the size of its value and, when under the limits, the value itself.
-- KEYS[1]: the key. ARGV[1]: the most elements of a hash, list, set or sorted set to read.
-- ARGV[2]: the most bytes of a string to read.
-- Returns {type, seconds, microseconds} when the key does not exist, else
-- {type, seconds, microseconds, pttl, size} when the value is not read (over a limit, or a type
-- this source does not read) or {type, seconds, microseconds, pttl, size, {value...}}.
-- size is -1 where it is not measured (RedisJSON, unknown module types).
local key = KEYS[1]
local max_elements = tonumber(ARGV[1])
local max_bytes = tonumber(ARGV[2])
local key_type = redis.call('TYPE', key)['ok']
local now = redis.call('TIME')
local reply = {key_type, tonumber(now[1]), tonumber(now[2])}
if key_type == 'none' then
  return reply
end
reply[4] = redis.call('PTTL', key)

local size = -1
local value = nil
if key_type == 'string' then
  size = redis.call('STRLEN', key)
  if size <= max_bytes then value = {redis.call('GET', key)} end
elseif key_type == 'hash' then
  size = redis.call('HLEN', key)
  if size <= max_elements then value = redis.call('HGETALL', key) end
elseif key_type == 'list' then
  size = redis.call('LLEN', key)
  if size <= max_elements then value = redis.call('LRANGE', key, 0, -1) end
elseif key_type == 'set' then
  size = redis.call('SCARD', key)
  if size <= max_elements then value = redis.call('SMEMBERS', key) end
elseif key_type == 'zset' then
  size = redis.call('ZCARD', key)
  if size <= max_elements then value = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES') end
elseif key_type == 'ReJSON-RL' then
  value = {redis.call('JSON.GET', key)}
elseif key_type == 'stream' then
  size = redis.call('XLEN', key)
end
reply[5] = size
if value ~= nil then
  reply[6] = value
end
return reply
