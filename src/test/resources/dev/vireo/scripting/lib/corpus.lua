-- Scripts run by ScriptLibrariesDifferentialIT on a real redis-server 7.0 and on ScriptLibraries in a Lua 5.1
-- state: each case is the body of a function whose results (or error) are serialized on both sides and compared.
-- Settings changed by a case (cjson's are per Lua state, kept between scripts as in Redis) are restored by it.
--- names and versions
return cjson._NAME, cjson._VERSION, cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION,
  type(cjson.null), tostring(cjson.null), type(cjson.new), type(bit.tobit), type(struct.pack)
--- readonly cjson field
cjson.encode = nil
--- readonly new field in pcall
return pcall(function() cjson.x = 1 end)
--- readonly bit struct cmsgpack
local r = {}
r[1] = select(2, pcall(function() bit.band = 1 end))
r[2] = select(2, pcall(function() struct.x = 1 end))
r[3] = select(2, pcall(function() cmsgpack.pack = nil end))
return r, cjson.nosuchfield
--- cjson.new is independent and writable
local c = cjson.new()
c.encode_max_depth(2)
c.extra = 5
local ok, e = pcall(c.encode, {{{}}})
return ok, e, c.extra, cjson.encode({{{}}}), c.encode_max_depth(1000), c.new ~= nil
--- encode scalars
return cjson.encode(1), cjson.encode('x'), cjson.encode(true), cjson.encode(false), cjson.encode(nil), cjson.encode(cjson.null)
--- encode numbers
local nums = { 0, 1, -1, 0.1, -0.1, 1/3, 2/3, 100, 1e14, 1e15, 1e16, 123456789012345, 1234567890123456, 2^53, 2^63,
  -2^63, 1e300, 1e-300, 5e-324, 1.5e-7, 0.1 + 0.2, math.pi, -math.pi, 1e-5, 1e-4, 12345.678901234567, 255.5 }
local out = {}
for i, n in ipairs(nums) do out[i] = cjson.encode(n) end
local z = 0
z = -z
out[#out + 1] = cjson.encode(z)
out[#out + 1] = cjson.encode({z})
return table.concat(out, ' ')
--- encode invalid numbers default
local r = {}
for i, n in ipairs({ 1/0, -1/0, 0/0 }) do r[i] = select(2, pcall(cjson.encode, n)) end
r[4] = select(2, pcall(cjson.encode, { a = 1/0 }))
r[5] = select(2, pcall(cjson.encode, { [1/0] = 1 }))
return r
--- encode invalid numbers on and null
local a = cjson.encode_invalid_numbers(true)
local r1 = { pcall(cjson.encode, { 1/0, -1/0, 0/0, x = 1 }) }
local r2 = { pcall(cjson.encode, { 1/0, -1/0, 0/0 }) }
local b = cjson.encode_invalid_numbers('null')
local r3 = { pcall(cjson.encode, { 1/0, -1/0, 0/0 }) }
local r4 = { pcall(cjson.encode, 0/0) }
local c = cjson.encode_invalid_numbers('on')
local d = cjson.encode_invalid_numbers('off')
return a, r1, r2, b, r3, r4, c, d, cjson.encode_invalid_numbers()
--- encode precision
local out = {}
for p = 1, 14 do
  cjson.encode_number_precision(p)
  out[#out + 1] = cjson.encode({ math.pi, 1/3, 123456.789, 1e20, 0.5, 100, -2.5e-9 })
end
cjson.encode_number_precision(14)
out[#out + 1] = select(2, pcall(cjson.encode_number_precision, 0))
out[#out + 1] = select(2, pcall(cjson.encode_number_precision, 15))
out[#out + 1] = select(2, pcall(cjson.encode_number_precision, 'x'))
out[#out + 1] = select(2, pcall(cjson.encode_number_precision, '7'))
cjson.encode_number_precision(14)
return out, cjson.encode_number_precision()
--- encode every byte
local s = ''
for i = 0, 255 do s = s .. string.char(i) end
return cjson.encode(s), cjson.encode({ [s] = s })
--- encode utf8 and slashes
return cjson.encode('h\195\169llo \230\151\165\230\156\172 \240\159\152\128 a/b\\c"d')
--- encode arrays and objects
return cjson.encode({}), cjson.encode({ {} }), cjson.encode({ 1, 2, 3 }), cjson.encode({ 1, nil, 3 }),
  cjson.encode({ [10] = 1 }), cjson.encode({ a = 1 }), cjson.encode({ [1.5] = 1 }), cjson.encode({ [-1] = 1 }),
  cjson.encode({ [0] = 1 }), cjson.encode({ { a = { b = { 1, { c = 'd' } } } } }), cjson.encode({ [1] = 'a', [2] = 'b', [4] = 'd' })
--- encode key order
return cjson.encode({ a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10 }),
  cjson.encode({ 1, 2, a = 3 }), cjson.encode({ x = { y = 1, z = 2 }, [5] = 'five', [7.25] = 'q' })
--- encode sparse arrays
local r = {}
r[1] = { pcall(cjson.encode, { [1] = 1, [11] = 2 }) }
r[2] = { pcall(cjson.encode, { [11] = 1 }) }
r[3] = { pcall(cjson.encode, { [1] = 1, [2] = 1, [3] = 1, [13] = 1 }) }
r[4] = { cjson.encode_sparse_array(true) }
r[5] = { pcall(cjson.encode, { [1] = 1, [11] = 2 }) }
r[6] = { cjson.encode_sparse_array(false, 0) }
r[7] = { pcall(cjson.encode, { [1] = 1, [1000] = 2 }) }
r[8] = { cjson.encode_sparse_array(nil, 3, 2) }
r[9] = { pcall(cjson.encode, { [1] = 1, [4] = 2 }) }
r[10] = { pcall(cjson.encode, { [1] = 1, [7] = 2 }) }
r[11] = { pcall(cjson.encode_sparse_array, 1) }
r[12] = { pcall(cjson.encode_sparse_array, false, -1) }
r[13] = { pcall(cjson.encode_sparse_array, false, 2, 10, 4) }
r[14] = { cjson.encode_sparse_array(false, 2, 10) }
return r
--- encode unsupported types
local r = {}
r[1] = select(2, pcall(cjson.encode, function() end))
r[2] = select(2, pcall(cjson.encode, { f = tostring }))
r[3] = select(2, pcall(cjson.encode, coroutine.create(function() end)))
r[4] = select(2, pcall(cjson.encode, { [true] = 1 }))
r[5] = select(2, pcall(cjson.encode, { [{}] = 1 }))
r[6] = select(2, pcall(cjson.encode, { [cjson.null] = 1 }))
r[7] = select(2, pcall(cjson.encode))
r[8] = select(2, pcall(cjson.encode, 1, 2))
return r
--- encode errors with positions
local r = {}
r[1] = select(2, pcall(function() return cjson.encode(tostring) end))
r[2] = select(2, pcall(function() return cjson.encode() end))
r[3] = select(2, pcall(function() local e = cjson.encode; return e(1, 2) end))
r[4] = select(2, pcall(function() return cjson:encode() end))
r[5] = select(2, pcall(function() return cjson:decode() end))
return r
--- encode nesting limits
local function nest(n) local t = {} for _ = 1, n - 1 do t = { t } end return t end
local r = {}
r[1] = #cjson.encode(nest(1000))
r[2] = select(2, pcall(cjson.encode, nest(1001)))
r[3] = cjson.encode_max_depth(3)
r[4] = { pcall(cjson.encode, nest(3)) }
r[5] = { pcall(cjson.encode, nest(4)) }
r[6] = { pcall(cjson.encode, { a = { b = { c = {} } } }) }
r[7] = select(2, pcall(cjson.encode_max_depth, 0))
r[8] = select(2, pcall(cjson.encode_max_depth, 2^32 + 5))
r[9] = cjson.encode_max_depth(5.9)
r[10] = cjson.encode_max_depth(1000)
local t = {}
t[1] = t
r[11] = select(2, pcall(cjson.encode, t))
return r
--- encode deep with raised limit
cjson.encode_max_depth(5000)
local function nest(n) local t = {} for _ = 1, n - 1 do t = { t } end return t end
local function onest(n) local t = {} for _ = 1, n - 1 do t = { k = t } end return t end
local r = {}
for _, n in ipairs({ 2000, 2665, 2666, 2667, 3000, 7998, 7999, 8000 }) do
  local ok, e = pcall(cjson.encode, nest(n))
  r[#r + 1] = ok and #e or e
end
for _, n in ipairs({ 2000, 3998, 3999, 4000, 4001 }) do
  local ok, e = pcall(cjson.encode, onest(n))
  r[#r + 1] = ok and #e or e
end
cjson.encode_max_depth(1000)
return r
--- keep buffer option
return cjson.encode_keep_buffer(), cjson.encode_keep_buffer(false), cjson.encode('a'), cjson.encode_keep_buffer('on'),
  select(2, pcall(cjson.encode_keep_buffer, 'yes')), select(2, pcall(cjson.encode_keep_buffer, {})), cjson.encode_keep_buffer(true)
--- decode values
return cjson.decode('1'), cjson.decode('"x"'), cjson.decode('true'), cjson.decode('false'), cjson.decode('null'),
  cjson.decode('[]'), cjson.decode('{}'), cjson.decode(' [1, 2.5, "a", true, null, {"k": [false]}] '),
  cjson.decode('{"a":1,"a":2}'), cjson.decode('\t\r\n 7 \n')
--- decode numbers
local texts = { '0', '-0', '1e400', '-1e400', '1E2', '1e-2', '0.5', '-0.5', '1.0', '12345678901234567890', '0x1F', '0x1p3',
  '-0x10', '0x', '0xg', 'Infinity', '-Infinity', 'NaN', '-nan', 'inf', 'INF', '1.', '-.5', '+5', '00', '01.5', '1e',
  '1e+', '1e5x', '2.5e-3', '4.9e-324', '1.7976931348623157e308', '123456789012345678901234567890', '-', '--1', '+', '+-1',
  '1.2.3', '0.1e1', '9007199254740993', 'infinity', 'nana', 'Inx', 'NAN', '0X1A', '.5', 'e5', '-e5' }
local out = {}
for _, t in ipairs(texts) do
  local ok, v = pcall(cjson.decode, t)
  out[#out + 1] = t .. ' => ' .. (ok and string.format('%.17g', v) or v)
end
return out
--- decode numbers strictly
cjson.decode_invalid_numbers(false)
local texts = { '0', '-0', '0x1F', '01', '-01', '+1', 'inf', '-inf', 'nan', 'NaN', 'Infinity', '1e5', '-', '0x', '00' }
local out = {}
for _, t in ipairs(texts) do
  local ok, v = pcall(cjson.decode, t)
  out[#out + 1] = t .. ' => ' .. (ok and string.format('%.17g', v) or v)
end
local last = cjson.decode_invalid_numbers(true)
return out, last, cjson.decode_invalid_numbers(), select(2, pcall(cjson.decode_invalid_numbers, 'x'))
--- decode strings and escapes
local texts = { '"\\u00e9"', '"\\u20AC"', '"\\ud83d\\ude00"', '"\\u0000"', '"a\\u0000b"', '"\\b\\f\\n\\r\\t\\/\\\\\\""',
  '"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"\\ud800x"', '"\\u12"', '"\\u12g4"', '"\\x"', '"abc', '"a\tb"',
  '"\\', '"\\u', '"\\uD834\\uDD1E"', '"\\u007f\\u0080\\u07ff\\u0800\\uffff"', '"\\\'"', '"a"b', '"\001\031"' }
local out = {}
for _, t in ipairs(texts) do
  local ok, v = pcall(cjson.decode, t)
  out[#out + 1] = { t, ok, v }
end
return out
--- decode syntax errors
local texts = { '', ' ', '[1,2', '{"a":1,}', '{"a" 1}', '{1:2}', '[1 2]', 'tru', 'x', '1 2', '[', ']', '{', '}',
  ':', ',', '[,]', '[1,]', '{"a"}', '{"a":}', '{"a":1 "b":2}', 'nul', 'fals', 'true false', '[1]]', '{"a":1}}',
  '\255', '[\1]', '"a" x', '[] []', 'null x', '{"a":[1,{"b":2]}' }
local out = {}
for _, t in ipairs(texts) do
  local ok, v = pcall(cjson.decode, t)
  out[#out + 1] = { t, ok, v }
end
return out
--- decode nul bytes and utf16
local texts = { '[1]\0garbage', '1\0', '\0\0', 'a\0', '\0a', '"ab\0cd"', '[1,\0]', '  \0' }
local out = {}
for _, t in ipairs(texts) do
  local ok, v = pcall(cjson.decode, t)
  out[#out + 1] = { t, ok, v }
end
return out
--- decode argument errors
local r = {}
r[1] = select(2, pcall(cjson.decode))
r[2] = select(2, pcall(cjson.decode, nil))
r[3] = select(2, pcall(cjson.decode, {}))
r[4] = select(2, pcall(cjson.decode, 'a', 'b'))
r[5] = { pcall(cjson.decode, 123) }
r[6] = { pcall(cjson.decode, 1.5) }
r[7] = select(2, pcall(function() return cjson.decode(true) end))
return r
--- decode nesting limits
local r = {}
r[1] = #cjson.encode(cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000)))
r[2] = select(2, pcall(cjson.decode, string.rep('[', 1001) .. string.rep(']', 1001)))
r[3] = cjson.decode_max_depth(3)
r[4] = { pcall(cjson.decode, '[[[1]]]') }
r[5] = { pcall(cjson.decode, '[[[[1]]]]') }
r[6] = { pcall(cjson.decode, '{"a":{"b":{"c":{}}}}') }
r[7] = { pcall(cjson.decode, '[{"a":[{}]}]') }
r[8] = select(2, pcall(cjson.decode_max_depth, 0))
r[9] = select(2, pcall(cjson.decode_max_depth, 'z'))
r[10] = cjson.decode_max_depth(1000)
return r
--- decode deep with raised limit
cjson.decode_max_depth(100000)
local r = {}
for _, n in ipairs({ 3000, 7997, 7998, 7999, 8000 }) do
  local ok, e = pcall(cjson.decode, string.rep('[', n) .. string.rep(']', n))
  r[#r + 1] = ok and 'ok' or e
end
for _, n in ipairs({ 3000, 3998, 3999, 4000 }) do
  local ok, e = pcall(cjson.decode, string.rep('{"a":', n) .. '1' .. string.rep('}', n))
  r[#r + 1] = ok and 'ok' or e
end
cjson.decode_max_depth(1000)
return r
--- round trips
local v = { 1, 'two', { three = 3, four = { 4, 4.5 } }, false, { [1] = 'a', [2] = 'b' }, '\1\2\127', 1e100, -0.25 }
local j = cjson.encode(v)
return j, cjson.decode(j), cjson.encode(cjson.decode(j))
--- cmsgpack integers
local ints = { 0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2^53, 2^63 - 1024, 2^63, 2^64,
  -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -2^53, -2^63, -2^63 - 4096, -2^64 }
local out = {}
for _, n in ipairs(ints) do
  local p = cmsgpack.pack(n)
  out[#out + 1] = string.format('%.17g', n) .. '=' .. __hex(p) .. '=' .. string.format('%.17g', cmsgpack.unpack(p))
end
local z = 0
z = -z
out[#out + 1] = __hex(cmsgpack.pack(z))
return out
--- cmsgpack floats
local fs = { 0.5, 0.1, -0.1, 1.5, 1e39, -1e39, 3.4028234663852886e38, 3.4028235677973366e38, 1e-45, 2^-149, 2^-150,
  1/0, -1/0, 1/3, 1e300, 2^63 + 2^11, 0.30000000000000004, 2^-126, 1.17549435e-38 }
local out = {}
for _, n in ipairs(fs) do
  local p = cmsgpack.pack(n)
  out[#out + 1] = __hex(p) .. '=' .. string.format('%.17g', cmsgpack.unpack(p))
end
local nan = 0/0
out[#out + 1] = __hex(cmsgpack.pack(nan)) .. ' ' .. __hex(cmsgpack.pack(-nan))
return out
--- cmsgpack strings sizes
local out = {}
for _, n in ipairs({ 0, 1, 31, 32, 255, 256, 65535, 65536, 70000 }) do
  local s = string.rep('x', n)
  local p = cmsgpack.pack(s)
  out[#out + 1] = n .. ':' .. __hex(p:sub(1, 6)) .. ':' .. #p .. ':' .. tostring(cmsgpack.unpack(p) == s)
end
local all = ''
for i = 0, 255 do all = all .. string.char(i) end
out[#out + 1] = __hex(cmsgpack.pack(all)):sub(1, 10)
out[#out + 1] = tostring(cmsgpack.unpack(cmsgpack.pack(all)) == all)
return out
--- cmsgpack array and map sizes
local out = {}
for _, n in ipairs({ 0, 1, 15, 16, 65535, 65536 }) do
  local t = {}
  for i = 1, n do t[i] = i % 3 end
  local p = cmsgpack.pack(t)
  local u = cmsgpack.unpack(p)
  out[#out + 1] = 'a' .. n .. ':' .. __hex(p:sub(1, 8)) .. ':' .. #p .. ':' .. #u
  local m = {}
  for i = 1, n do m['k' .. i] = i end
  p = cmsgpack.pack(m)
  local c = 0
  for _ in pairs(cmsgpack.unpack(p)) do c = c + 1 end
  out[#out + 1] = 'm' .. n .. ':' .. __hex(p:sub(1, 3)) .. ':' .. #p .. ':' .. c
end
return out
--- cmsgpack table shapes
local function h(v) return __hex(cmsgpack.pack(v)) end
return h({}), h({ 1, nil, 3 }), h({ [2] = 1 }), h({ [1] = 'a', [2] = 'b' }), h({ a = 1 }), h({ [1.5] = 1 }),
  h({ [-1] = 1 }), h({ [0] = 1 }), h({ 1, 2, x = 3 }), h({ [2^31] = 1 }), h({ [2^31 - 1] = 1 }), h({ true, false }),
  h({ { {} } }), h({ [true] = false }), h({ f = tostring })
--- cmsgpack key order
return __hex(cmsgpack.pack({ a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10, k = 11 })),
  __hex(cmsgpack.pack({ x = { y = 1, z = 2 }, [5] = 'five', [7.25] = 'q', [-3] = true }))
--- cmsgpack other types
return __hex(cmsgpack.pack(nil)), __hex(cmsgpack.pack(true)), __hex(cmsgpack.pack(false)), __hex(cmsgpack.pack(tostring)),
  __hex(cmsgpack.pack(cjson.null)), __hex(cmsgpack.pack(coroutine.create(function() end))), __hex(cmsgpack.pack(1, 'a', nil, {}))
--- cmsgpack nesting
local function nest(n) local t = 1 for _ = 1, n do t = { t } end return t end
local out = {}
for _, n in ipairs({ 15, 16, 17, 20 }) do
  local p = cmsgpack.pack(nest(n))
  out[#out + 1] = __hex(p)
end
local t = {}
t.self = t
out[#out + 1] = __hex(cmsgpack.pack(t))
return out
--- cmsgpack pack arguments
local r = {}
r[1] = select(2, pcall(cmsgpack.pack))
r[2] = select(2, pcall(function() return cmsgpack.pack() end))
local big = {}
for i = 1, 4001 do big[i] = i end
r[3] = #cmsgpack.pack(unpack(big, 1, 4000))
r[4] = select(2, pcall(cmsgpack.pack, unpack(big, 1, 4001)))
return r
--- cmsgpack unpack types
local B = string.char
local inputs = { B(0xc0), B(0xc2), B(0xc3), B(0x7f), B(0xe0), B(0xff), B(0xcc, 0xff), B(0xd0, 0x80), B(0xcd, 0xff, 0xff),
  B(0xd1, 0x80, 0x00), B(0xce, 0xff, 0xff, 0xff, 0xff), B(0xd2, 0x80, 0, 0, 0), B(0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  B(0xcf, 0, 0x20, 0, 0, 0, 0, 0, 1), B(0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0), B(0xd3, 0xff, 0xe0, 0, 0, 0, 0, 0, 1),
  B(0xca, 0x7f, 0xc0, 0, 0), B(0xca, 0xff, 0x80, 0, 0), B(0xca, 0, 0, 0, 1), B(0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1),
  B(0xcb, 0, 0, 0, 0, 0, 0, 0, 1), B(0xd9, 3) .. 'abc', B(0xda, 0, 2) .. 'ab', B(0xdb, 0, 0, 0, 1) .. 'a', B(0xa3) .. 'xyz',
  B(0x93, 1, 2, 3), B(0x92, 0xc0, 1), B(0xdc, 0, 2, 1, 2), B(0xdd, 0, 0, 0, 1, 5), B(0x82, 0xa1) .. 'a' .. B(1, 2, 3),
  B(0xde, 0, 1, 1, 0xc0), B(0xdf, 0, 0, 0, 1, 0xa1) .. 'k' .. B(0x90), B(0x81, 0xca, 0x3f, 0xc0, 0, 0, 7), B(1, 2, 3),
  '', B(0x90, 0x80) }
local out = {}
for _, s in ipairs(inputs) do out[#out + 1] = { __hex(s), pcall(cmsgpack.unpack, s) } end
return out
--- cmsgpack unpack errors
local B = string.char
local inputs = { B(0xc1), B(0xc4, 1, 0), B(0xc7, 1, 1, 0), B(0xd4, 1, 1), B(0xd8), B(0xcd, 1), B(0xcf, 1, 2, 3),
  B(0xa5) .. 'ab', B(0xd9), B(0xd9, 5) .. 'ab', B(0xda, 1), B(0xdb, 0, 0, 1, 0) .. 'x', B(0x93, 1, 2), B(0xdc, 0),
  B(0xdd, 0xff, 0xff, 0xff, 0xff, 1), B(0x81, 1), B(0x81, 0xc0, 1), B(0x81, 0xcb, 0xff, 0xf8, 0, 0, 0, 0, 0, 0, 1),
  B(0x81, 0xc0), B(1, 0xc1, 2), B(0x92, 1, 0xc1), B(0x81, 0xc1, 1), B(0xca, 1, 2), B(0xcb, 1) }
local out = {}
for _, s in ipairs(inputs) do out[#out + 1] = { __hex(s), pcall(cmsgpack.unpack, s) } end
out[#out + 1] = { pcall(cmsgpack.unpack) }
out[#out + 1] = { pcall(cmsgpack.unpack, {}) }
out[#out + 1] = { pcall(cmsgpack.unpack, 12) }
return out
--- cmsgpack unpack_one and unpack_limit
local B = string.char
local s = B(1, 2, 0x93, 1, 2, 3, 0xa1) .. 'z'
local r = {}
local function add(...) r[#r + 1] = { ... } end
add(pcall(cmsgpack.unpack_one, s))
add(pcall(cmsgpack.unpack_one, s, 1))
add(pcall(cmsgpack.unpack_one, s, 2))
add(pcall(cmsgpack.unpack_one, s, 6))
add(pcall(cmsgpack.unpack_one, s, 8))
add(pcall(cmsgpack.unpack_one, s, 9))
add(pcall(cmsgpack.unpack_one, s, -1))
add(pcall(cmsgpack.unpack_one, s, 1.9))
add(pcall(cmsgpack.unpack_one, s, 'x'))
add(pcall(cmsgpack.unpack_one, s, nil))
add(pcall(cmsgpack.unpack_one, nil, 1))
add(pcall(cmsgpack.unpack_one, s, 3))
add(pcall(cmsgpack.unpack_limit, s, 2))
add(pcall(cmsgpack.unpack_limit, s, 0))
add(pcall(cmsgpack.unpack_limit, s, 0, 1))
add(pcall(cmsgpack.unpack_limit, s, 10))
add(pcall(cmsgpack.unpack_limit, s, 2, 2))
add(pcall(cmsgpack.unpack_limit, s, -1))
add(pcall(cmsgpack.unpack_limit, s))
add(pcall(cmsgpack.unpack_limit, s, 1, 100))
add(pcall(cmsgpack.unpack_limit, s, 2^32 + 1))
add(pcall(cmsgpack.unpack_one, '', 0))
add(pcall(cmsgpack.unpack_limit, '', 1))
add(pcall(cmsgpack.unpack_one, B(0xcd, 1)))
local off, v = 0, nil
local seen = {}
while off ~= -1 do off, v = cmsgpack.unpack_one(s, off) seen[#seen + 1] = off end
add(unpack(seen))
return r
--- cmsgpack many results
local ones = string.rep(string.char(1), 7998)
local r = {}
r[1] = select('#', cmsgpack.unpack(ones))
r[2] = select('#', cmsgpack.unpack(ones .. '\1'))
r[3] = select(2, pcall(cmsgpack.unpack, ones .. '\1\1'))
r[4] = select('#', cmsgpack.unpack_limit(ones, 8000))
r[5] = select(2, pcall(cmsgpack.unpack_limit, ones .. '\1', 8000))
r[6] = select(2, pcall(function() return cmsgpack.unpack(ones .. '\1\1') end))
return r
--- cmsgpack round trip
local v = { 1, -1, 1.5, 'str', { a = { b = { true, false } } }, 2^40, -2^40, 0.1, '' }
local p = cmsgpack.pack(v, 'second', 3)
return __hex(p), cmsgpack.unpack(p)
--- bit tobit
local ns = { 0, 1, -1, 2^31, 2^31 - 1, -2^31, -2^31 - 1, 2^32, 2^32 + 1, 2^52, 2^52 + 2^51, 2^53, 2^53 + 2, 2^60 + 12345 * 2^8,
  -2^60, 1e20, -1e20, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.7, -3.7, 1/0, -1/0, 0/0, 2^51 + 0.5, -2^51 - 0.5, 2^51 - 0.5,
  4294967295.5, '0x10', ' 12 ', '1e3', '-7' }
local out = {}
for _, n in ipairs(ns) do out[#out + 1] = bit.tobit(n) end
return out
--- bit operations
return bit.band(0xff00ff, 0x0ff0f0), bit.band(-1, 2^32 + 5, 7), bit.bor(1, 2, 4, 8, 2^31), bit.bxor(0xf0, 0xff, 1),
  bit.band(5), bit.bor(2^32 + 3), bit.bnot(0), bit.bnot(-1), bit.bnot(2^31), bit.bswap(0x12345678), bit.bswap(-1),
  bit.bswap(0x80), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(3, -1), bit.rshift(-1, 4),
  bit.rshift(-1, 0), bit.rshift(-1, 32), bit.arshift(-256, 4), bit.arshift(2^31, 31), bit.arshift(-1, 100),
  bit.rol(0x80000001, 1), bit.rol(0x12345678, 0), bit.rol(0x12345678, 36), bit.ror(1, 1), bit.ror(0x12345678, 4),
  bit.ror(0x12345678, 32), bit.lshift(1.7, 1.2), bit.band(-0.5, 1)
--- bit tohex
return bit.tohex(-1), bit.tohex(255, -4), bit.tohex(255, 2), bit.tohex(255, 20), bit.tohex(255, 0), bit.tohex(0x12345678, 3),
  bit.tohex(0x12345678, -8), bit.tohex(1, -2^31), bit.tohex(1, 2^31 - 1), bit.tohex(2^32 + 255), bit.tohex(-2^31, 8),
  bit.tohex(1.5), bit.tohex(255, 2^32 - 2)
--- bit argument errors
local r = {}
local function add(f, ...) r[#r + 1] = select(2, pcall(f, ...)) end
add(bit.tobit) add(bit.tobit, 'x') add(bit.tobit, true) add(bit.tobit, nil) add(bit.tobit, {}) add(bit.band)
add(bit.band, 1, 'y') add(bit.band, 1, 2, nil) add(bit.bor, nil, 1) add(bit.lshift, 1) add(bit.lshift, nil, 1)
add(bit.tohex, 1, nil) add(bit.tohex, 'z') add(bit.bnot) add(bit.bswap, tostring) add(bit.rol, 1, {})
r[#r + 1] = select(2, pcall(function() return bit.band(1, 'q') end))
r[#r + 1] = select(2, pcall(function() local b = bit return b.tohex() end))
return r
--- struct pack integers
local function h(...) return __hex(struct.pack(...)) end
return h('b', -1), h('B', 255), h('b', 128), h('B', -1), h('h', -2), h('H', 65535), h('>h', 258), h('<h', 258),
  h('i', -1), h('I', 2^32 - 1), h('>i', 1), h('l', -2), h('L', 2^64 - 2^11), h('L', 2^63), h('l', -2^63), h('T', 5),
  h('i1', 300), h('i2', 70000), h('i3', -1), h('>i3', 0x010203), h('i5', 2^40 + 1), h('i7', -2), h('>i8', 1),
  h('i9', -1), h('>i10', 258), h('i16', 2^60), h('I12', -3), h('b', 1.9), h('b', -1.9), h('B', 2.5), h('L', 2^64),
  h('L', 2^70), h('l', -2^70), h('i', 0/0), h('L', 1/0), h('l', -1/0), h('b', '12'), h('i', ' 0x10 ')
--- struct pack floats and strings
local function h(...) return __hex(struct.pack(...)) end
return h('f', 0.1), h('>f', 0.1), h('d', 0.1), h('>d', -2.5), h('f', 1e39), h('f', 1/0), h('d', -1/0), h('f', 2^-149),
  h('d', 0/0), h('f', 0/0), h('c3', 'abcdef'), h('c0', 'abc'), h('s', 'ab'), h('s', ''), h('c', 'xy'), h('x'),
  h('xxb', 1), h('c2s', 'ab', 'cd'), h('s', 123), h('c0', 1.5)
--- struct alignment
local function h(...) return __hex(struct.pack(...)) end
return h('!8bd', 1, 1.5), h('!bd', 1, 1.5), h('!4bd', 1, 1.5), h('!2bi', 1, 2), h('!1bi', 1, 2), h('!16bd', 1, 1),
  h('!bh', 1, 2), h('!4 b i3', 1, 2), h('!8 b i5 b i6', 1, 2, 3, 4), h('!8bc3i', 1, 'abc', 2), h('!8bsi', 1, 'ab', 3),
  h('bxh', 1, 2), h('!4bxh', 1, 2), h('! b d', 1, 2), h('>!4 b i', 1, 2), h('!2 > i < h', 1, 2),
  struct.size('!8bd'), struct.size('!4 b i3'), struct.size('bhilTfdxc5'), struct.size('!bhilTfdxc5'), struct.size('>< !1'),
  struct.size('i32'), struct.size('q'), struct.size('!i')
--- struct unpack
local S = struct.pack
local function u(...) return { pcall(struct.unpack, ...) } end
return u('b', S('b', -5)), u('B', S('b', -5)), u('<h >h', S('<h >h', -300, -300)), u('i', S('i', -123456)),
  u('I', S('i', -1)), u('l', S('l', -2^53)), u('L', S('L', 2^64 - 2^11)), u('l', S('L', 2^63 + 2^11)),
  u('L', string.rep('\255', 8)), u('l', string.rep('\255', 8)), u('i3', S('i3', -2)), u('I3', S('i3', -2)),
  u('>i5', S('>i5', -7)), u('i7', S('i7', 2^50)), u('i9', string.rep('\255', 9)), u('I9', string.rep('\1', 9)),
  u('>i10', '\1\2\3\4\5\6\7\8\9\10'), u('<i10', '\1\2\3\4\5\6\7\8\9\10'), u('i16', string.rep('\128', 16)),
  u('>I16', string.rep('\128', 16)), u('f', S('f', 0.1)), u('>d', S('>d', 1e300)), u('d', S('d', 0/0)),
  u('c3', 'abcdef'), u('c3c3', 'abcdef'), u('bc0', '\2hello'), u('c1c0', '3abcd'), u('s', 'ab\0cd'), u('ss', 'ab\0cd\0'),
  u('xb', '\1\2'), u('!8bd', S('!8bd', 7, 0.5)), u('i', S('i', 7) .. 'zz', 1), u('b', 'abc', 3), u('b', 'abc', 2.9),
  u('', 'abc'), u('', 'abc', 9), u('bbb', 'abc'), u('i', 'abcd', nil)
--- struct errors
local function e(f, ...) return select(2, pcall(f, ...)) end
local P, U, Z = struct.pack, struct.unpack, struct.size
return e(P), e(P, 'i'), e(P, 'ii', 1), e(P, 'iii', 1), e(P, 'q', 1), e(P, '!3i', 1), e(P, 'i33', 1), e(P, 'i99999999999', 1),
  e(P, 'c3', 'ab'), e(P, 'c', nil), e(P, 's', {}), e(P, 'i', 'x'), e(P, 'i', {}), e(P, {}), e(P, 'f', false), e(P, '!17'),
  e(U, 'i', 'ab'), e(U, 'i', 'abcd', 6), e(U, 'i', 'abcd', 0), e(U, 'i', 'abcd', -3), e(U, 'c0', 'abcd'), e(U, 's', 'abcd'),
  e(U, 'i'), e(U), e(U, 'i', 'abcd', 'x'), e(U, 'bc0', '\255abc'), e(U, 'bc0', '\9abc'), e(U, 'z', 'a'), e(U, 'i40', 'a'),
  e(Z, 's'), e(Z, 'c0'), e(Z), e(Z, '!3'), e(Z, 'i40'),
  select(2, pcall(function() return struct.pack('i') end)), select(2, pcall(function() return struct.unpack('z', '') end))
--- struct round trips
local fmt = '>!4 b B h H i I l L f d c5 s i3 I7'
local p = struct.pack(fmt, -1, 200, -300, 60000, -70000, 3000000000, -2^40, 2^50, 0.25, -1e-300, 'hello', 'str', -5, 2^55)
return __hex(p), struct.unpack(fmt, p), struct.size('>!4 b B h H i I l L f d c5')
--- iteration order of large tables
local t = {}
for i = 1, 300 do t['key' .. (i * 7919 % 1000)] = i end
for i = 1, 50 do t[i * 3] = -i end
t[0.5], t[-2], t[2^40] = 'half', 'neg', 'big'
local j = cjson.encode(t)
local d = cjson.decode(j)
return j, cjson.encode(d), __hex(cmsgpack.pack(t)) == __hex(cmsgpack.pack(t)), __hex(cmsgpack.pack(d))
--- pairs order and raw access to the read-only tables
local out = {}
for _, lib in ipairs({ cjson, cmsgpack, bit, struct, cjson.new() }) do
  local keys = {}
  for k in pairs(lib) do keys[#keys + 1] = k end
  out[#out + 1] = table.concat(keys, ' ')
  out[#out + 1] = tostring(next(lib)) .. ' ' .. type(rawget(lib, 'pack') or rawget(lib, 'encode') or rawget(lib, 'band'))
end
return out, select('#', getmetatable(cjson)), getmetatable(cjson), rawequal(cjson, cjson), #cjson
--- raw writes to the read-only tables
local r = {}
local function e(f, ...) r[#r + 1] = { pcall(f, ...) } end
e(rawset, cjson, 'x', 1) e(rawset, bit, 'band', nil) e(function() rawset(struct, 1, 1) end) e(setmetatable, cjson, {})
e(function() setmetatable(cmsgpack, nil) end) e(function() table.insert(cjson, 'x') end) e(function() table.insert(cjson, 1, 'x') end)
e(function() return table.remove(cjson) end) e(function() table.sort(bit) return 'sorted' end) e(function() return table.concat(struct) end)
e(function() local n = 0 for _ in ipairs(cmsgpack) do n = n + 1 end return n end)
return r
--- base functions keep their own behaviour
local r = {}
local function e(f, ...) r[#r + 1] = { pcall(f, ...) } end
e(rawset, 1, 2, 3) e(rawset, {}) e(rawset, {}, 1) e(rawset, {}, nil, 1) e(rawset, {}, 0/0, 1)
e(function() return rawset(5) end) e(function() return rawset({}, 'a') end) e(function() return select('#', rawset({}, 1, 2)) end)
e(function() local t = {} return rawset(t, 'k', 'v') == t and t.k end) e(function() return getmetatable() end)
e(function() return setmetatable({}, 1) end) e(function() return setmetatable(1, {}) end) e(function() return setmetatable({}) end)
e(function() return next({}, 'nokey') end) e(function() return pairs() end) e(function() return rawget({}) end)
e(function() return next(cjson, 'nokey') end) e(function() return setmetatable(setmetatable({}, {__metatable = 1}), {}) end)
e(function() return getmetatable(setmetatable({}, {__metatable = 'locked'})) end) e(function() return getmetatable('abc').__index == string end)
e(function() local t = setmetatable({}, {__index = function() return 7 end}) return rawget(t, 'x'), t.x end)
e(function() local t = {1, 2} table.insert(t, 3) table.insert(t, 1, 0) return table.concat(t, ',') end)
e(function() table.insert({}, 1, 2, 3) end) e(function() table.insert(nil, 1) end) e(function() table.insert({}, 'a', 1) end)
e(function() table.insert({}) end) e(function() local t = {a = 1, b = 2} local n = 0 for k, v in pairs(t) do n = n + v end return n, next({}) end)
e(function() return select('#', next({})), select('#', pairs({})) end)
return r
