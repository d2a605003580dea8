-- Reads one key atomically (nothing runs between the calls of a script): its type, the server
-- time, its PTTL, the size of its value and, when under the limits, the value itself.
-- KEYS[1]: the key. ARGV[1]: the most elements of a hash, list, set or sorted set to read.
-- ARGV[2]: the most bytes of a value to read: a string's or JSON document's bytes, a hash's
-- field and value bytes, a list's or set's members, a sorted set's members and scores (as text).
-- Returns {type, seconds, microseconds} when the key does not exist, else
-- {type, seconds, microseconds, pttl, elements, bytes, exact, value} where value is the list of
-- the value's parts, or, when the value was not read, the limit that stopped it:
-- 'max-value-elements', 'max-value-bytes' or 'type' (a type this source does not read).
-- elements and bytes are -1 where not measured; exact is 0 when bytes is only what was counted
-- before the limit was passed (the value holds more).
--
-- Memory: a value over the byte limit must not be copied whole into the script, since Redis holds
-- values up to 512 MB. Strings and hashes are measured before they are read (STRLEN, HSTRLEN);
-- lists, sets and sorted sets have no command that measures members, so they are read in chunks
-- and given up as soon as the limit is passed: at most the limit plus one chunk is held.
local key = KEYS[1]
local max_elements = tonumber(ARGV[1])
local max_bytes = tonumber(ARGV[2])
local CHUNK = 256

local key_type = redis.call('TYPE', key)['ok']
local now = redis.call('TIME')
local reply = {key_type, tonumber(now[1]), tonumber(now[2])}
if key_type == 'none' then
  return reply
end
reply[4] = redis.call('PTTL', key)

local function done(elements, bytes, exact, value)
  reply[5] = elements
  reply[6] = bytes
  reply[7] = exact and 1 or 0
  reply[8] = value
  return reply
end

local function sum(parts, total)
  for i = 1, #parts do
    total = total + #parts[i]
  end
  return total
end

-- Appends chunks of CHUNK elements (width reply items each) read by fetch(first, last) until one
-- comes back short, or gives up once the bytes pass the limit (nil value, bytes counted so far).
local function chunked(fetch, width)
  local value, bytes, start = {}, 0, 0
  while true do
    local part = fetch(start, start + CHUNK - 1)
    bytes = sum(part, bytes)
    if bytes > max_bytes then
      return nil, bytes
    end
    for i = 1, #part do
      value[#value + 1] = part[i]
    end
    if #part < CHUNK * width then
      return value, bytes
    end
    start = start + CHUNK
  end
end

if key_type == 'string' then
  local bytes = redis.call('STRLEN', key)
  if bytes > max_bytes then
    return done(1, bytes, true, 'max-value-bytes')
  end
  return done(1, bytes, true, {redis.call('GET', key)})
elseif key_type == 'hash' then
  local elements = redis.call('HLEN', key)
  if elements > max_elements then
    return done(elements, -1, false, 'max-value-elements')
  end
  -- First filter, O(1) for small hashes: every field and value is stored in at least half its
  -- text's bytes (listpack and ziplist hold an integer of up to 20 digits in 9 or 10 bytes; a
  -- hashtable holds them as strings), so twice the memory bounds the text. pcall: an ACL
  -- may deny MEMORY; the exact count below needs only @hash.
  local memory = redis.pcall('MEMORY', 'USAGE', key, 'SAMPLES', 0)
  if type(memory) ~= 'number' or 2 * memory > max_bytes then
    local bytes = 0
    local fields = redis.call('HKEYS', key)
    for i = 1, #fields do
      bytes = bytes + #fields[i] + redis.call('HSTRLEN', key, fields[i])
    end
    fields = nil
    if bytes > max_bytes then
      return done(elements, bytes, true, 'max-value-bytes')
    end
  end
  local value = redis.call('HGETALL', key)
  return done(elements, sum(value, 0), true, value)
elseif key_type == 'list' then
  local elements = redis.call('LLEN', key)
  if elements > max_elements then
    return done(elements, -1, false, 'max-value-elements')
  end
  local value, bytes = chunked(function(first, last)
    return redis.call('LRANGE', key, first, last)
  end, 1)
  return done(elements, bytes, value ~= nil, value or 'max-value-bytes')
elseif key_type == 'set' then
  local elements = redis.call('SCARD', key)
  if elements > max_elements then
    return done(elements, -1, false, 'max-value-elements')
  end
  -- SSCAN returns each member once here: the set cannot change while the script runs.
  local value, bytes, cursor = {}, 0, '0'
  repeat
    local page = redis.call('SSCAN', key, cursor, 'COUNT', CHUNK)
    cursor = page[1]
    bytes = sum(page[2], bytes)
    if bytes > max_bytes then
      return done(elements, bytes, false, 'max-value-bytes')
    end
    for i = 1, #page[2] do
      value[#value + 1] = page[2][i]
    end
  until cursor == '0'
  return done(elements, bytes, true, value)
elseif key_type == 'zset' then
  local elements = redis.call('ZCARD', key)
  if elements > max_elements then
    return done(elements, -1, false, 'max-value-elements')
  end
  local value, bytes = chunked(function(first, last)
    return redis.call('ZRANGE', key, first, last, 'WITHSCORES')
  end, 2)
  return done(elements, bytes, value ~= nil, value or 'max-value-bytes')
elseif key_type == 'ReJSON-RL' then
  -- RedisJSON has no size of the serialized document but the document itself.
  local json = redis.call('JSON.GET', key)
  if #json > max_bytes then
    return done(1, #json, true, 'max-value-bytes')
  end
  return done(1, #json, true, {json})
elseif key_type == 'stream' then
  return done(redis.call('XLEN', key), -1, false, 'type')
end
return done(-1, -1, false, 'type')
