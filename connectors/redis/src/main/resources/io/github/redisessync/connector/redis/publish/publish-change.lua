-- Writes one key and publishes its change in one atomic step, stamped with the server's TIME in
-- microseconds: the clock the source's reads are versioned with, so both compare.
-- KEYS[1]: the key. ARGV[1]: the channel. ARGV[2]: the op, 'hset', 'del' or 'pexpire'.
-- hset: ARGV[3..] field, value, field, value... pexpire: ARGV[3] milliseconds.
-- Publishes {"version":<µs>,"key":...,"op":...[,"fields":{...}]}; returns the version.
local key = KEYS[1]
local channel = ARGV[1]
local op = ARGV[2]
local change = {key = key, op = op}
if op == 'hset' then
  if #ARGV < 4 or (#ARGV - 2) % 2 ~= 0 then
    return redis.error_reply('hset needs field, value pairs')
  end
  redis.call('HSET', key, unpack(ARGV, 3))
  local fields = {}
  for i = 3, #ARGV, 2 do
    fields[ARGV[i]] = ARGV[i + 1]
  end
  change.fields = fields
elseif op == 'del' then
  redis.call('DEL', key)
elseif op == 'pexpire' then
  redis.call('PEXPIRE', key, ARGV[3])
else
  return redis.error_reply('unknown op ' .. tostring(op) .. '; expected hset, del or pexpire')
end
local now = redis.call('TIME')
-- Built as text: cjson prints numbers with 14 digits, too few for microseconds since 1970.
local version = now[1] .. string.format('%06d', tonumber(now[2]))
local encoded = cjson.encode(change)
redis.call('PUBLISH', channel, '{"version":' .. version .. ',' .. string.sub(encoded, 2))
return tonumber(version)
