-- Writes one key and announces its change in one atomic step, stamped with the server's TIME in
-- microseconds: the clock the source's reads are versioned with, so both compare.
-- KEYS[1]: the key. ARGV[1]: 'channel' or 'stream'. ARGV[2]: the channel or stream name.
-- ARGV[3]: for a stream, its approximate maximum length (0: untrimmed). ARGV[4]: the op, 'hset',
-- 'hdel', 'del' or 'pexpire'. hset: ARGV[5..] field, value, field, value... hdel: ARGV[5..] fields.
-- pexpire: ARGV[5] milliseconds.
-- A channel gets {"version":<µs>,"key":...,"op":...[,"fields":{...}]}; a stream an entry with the
-- fields key, op and version (the source re-reads the key, so the values need not travel).
-- Returns the version.
local key = KEYS[1]
local target = ARGV[1]
local name = ARGV[2]
local maxlen = tonumber(ARGV[3])
local op = ARGV[4]
local change = {key = key, op = op}
if op == 'hset' then
  if #ARGV < 6 or (#ARGV - 4) % 2 ~= 0 then
    return redis.error_reply('hset needs field, value pairs')
  end
  redis.call('HSET', key, unpack(ARGV, 5))
  local fields = {}
  for i = 5, #ARGV, 2 do
    fields[ARGV[i]] = ARGV[i + 1]
  end
  change.fields = fields
elseif op == 'hdel' then
  if #ARGV < 5 then
    return redis.error_reply('hdel needs at least one field')
  end
  redis.call('HDEL', key, unpack(ARGV, 5))
elseif op == 'del' then
  redis.call('DEL', key)
elseif op == 'pexpire' then
  redis.call('PEXPIRE', key, ARGV[5])
else
  return redis.error_reply('unknown op ' .. tostring(op) .. '; expected hset, hdel, del or pexpire')
end
local now = redis.call('TIME')
-- Built as text: cjson prints numbers with 14 digits, too few for microseconds since 1970.
local version = now[1] .. string.format('%06d', tonumber(now[2]))
if target == 'stream' then
  if maxlen and maxlen > 0 then
    redis.call('XADD', name, 'MAXLEN', '~', maxlen, '*', 'key', key, 'op', op, 'version', version)
  else
    redis.call('XADD', name, '*', 'key', key, 'op', op, 'version', version)
  end
elseif target == 'channel' then
  local encoded = cjson.encode(change)
  redis.call('PUBLISH', name, '{"version":' .. version .. ',' .. string.sub(encoded, 2))
else
  return redis.error_reply('unknown target ' .. tostring(target) .. '; expected channel or stream')
end
return tonumber(version)
