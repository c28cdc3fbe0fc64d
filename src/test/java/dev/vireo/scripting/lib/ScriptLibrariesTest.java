package dev.vireo.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vireo.testkit.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import party.iroiro.luajava.Lua;

/**
 * The libraries in a Lua 5.1 state without a server: each expected value was first recorded from a real
 * redis-server 7.0.15 with {@code EVAL} (ScriptLibrariesDifferentialIT checks many more against one live).
 */
class ScriptLibrariesTest {
  private Lua lua;

  @BeforeEach
  void open() {
    lua = LuaScripts.newState();
  }

  @AfterEach
  void close() {
    lua.close();
  }

  private String eval(String script) {
    return LuaScripts.runText(lua, script);
  }

  @Test
  void definesTheFourLibraries() {
    assertEquals("table table table table cjson 2.1.0 cmsgpack lua-cmsgpack 0.4.0 userdata userdata: (nil)",
        eval("return table.concat({type(cjson), type(cmsgpack), type(bit), type(struct), cjson._NAME, cjson._VERSION,"
            + " cmsgpack._NAME, cmsgpack._VERSION, type(cjson.null), tostring(cjson.null)}, ' ')"));
  }

  @Test
  void librariesAreReadOnly() {
    assertEquals("ERR user_script:1: Attempt to modify a readonly table", eval("cjson.encode = nil"));
    assertEquals("user_script:1: Attempt to modify a readonly table",
        eval("local ok, e = pcall(function() bit.x = 1 end) return e"));
    assertEquals("ERR user_script:2: Attempt to modify a readonly table", eval("local s = struct\ns.pack = 1"));
    assertEquals("function", eval("return type(cmsgpack.pack)"));
    assertEquals("Attempt to modify a readonly table", eval("return select(2, pcall(rawset, cjson, 'encode', 1))"));
    assertEquals("Attempt to modify a readonly table", eval("return select(2, pcall(table.insert, bit, 1))"));
    assertEquals("pack size unpack", eval("local k = {} for name in pairs(struct) do k[#k + 1] = name end"
        + " return table.concat(k, ' ')"));
    assertEquals("nil", eval("return tostring(getmetatable(cjson))"));
  }

  @Test
  void readOnlyViewsOfOtherTables() {
    lua.getGlobal("string");
    ScriptLibraries.readOnly(lua);
    lua.setGlobal("string");
    assertEquals("ERR user_script:1: Attempt to modify a readonly table", eval("string.rep = nil"));
    assertEquals("Attempt to modify a readonly table", eval("return select(2, pcall(rawset, string, 'x', 1))"));
    assertEquals("ABC ab true", eval("return string.upper('abc') .. ' ' .. ('ab'):lower() .. ' '"
        + " .. tostring(rawget(string, 'format') ~= nil)"));
    lua.pushNil();
    assertThrows(IllegalArgumentException.class, () -> ScriptLibraries.readOnly(lua));
  }

  @Test
  void functionsAreCFunctionsWithLuaLibErrors() {
    assertEquals("C", eval("return debug.getinfo(cjson.encode).what"));
    assertEquals("ERR user_script:1: bad argument #1 to 'encode' (expected 1 argument)",
        eval("return cjson.encode()"));
    assertEquals("bad argument #1 to '?' (number expected, got string)",
        eval("local ok, e = pcall(bit.tobit, 'x') return e"));
    assertEquals("user_script:1: calling 'decode' on bad self (string expected, got table)",
        eval("local ok, e = pcall(function() return cjson:decode() end) return e"));
  }

  @Test
  void cjsonAsRedis() {
    assertEquals("[1,2,3] {} 0.1 1e+15 9.007199254741e+15 \"a\\/b\\u0001\"",
        eval("return table.concat({cjson.encode({1,2,3}), cjson.encode({}), cjson.encode(0.1), cjson.encode(1e15),"
            + " cjson.encode(2^53), cjson.encode('a/b\\1')}, ' ')"));
    assertEquals("Expected value but found T_END at character 1", eval("return select(2, pcall(cjson.decode, ''))"));
    assertEquals("Cannot serialise table: excessively sparse array",
        eval("return select(2, pcall(cjson.encode, {[1]=1, [20]=2}))"));
    assertEquals("Found too many nested data structures (4) at character 4",
        eval("cjson.decode_max_depth(3) local ok, e = pcall(cjson.decode, '[[[[1]]]]') cjson.decode_max_depth(1000)"
            + " return e"));
    assertEquals("\u00e2\u0082\u00ac true 16", eval("local t = cjson.decode('[\"\\\\u20ac\", null, 0x10]')"
        + " return t[1] .. ' ' .. tostring(t[2] == cjson.null) .. ' ' .. t[3]"));
  }

  @Test
  void cmsgpackAsRedis() {
    assertEquals("7f cc80 d0df ca3fc00000 cb3fb999999999999a 90 c0 d920",
        eval("local function h(v) return (cmsgpack.pack(v):gsub('.', function(c) return string.format('%02x',"
            + " c:byte()) end)) end return table.concat({h(127), h(128), h(-33), h(1.5), h(0.1), h({}), h(nil),"
            + " h(string.rep('A', 32)):sub(1, 4)}, ' ')"));
    assertEquals("-1 3", eval("local off, v = cmsgpack.unpack_one(string.char(1, 2, 3), 2) return off .. ' ' .. v"));
    assertEquals("Missing bytes in input.", eval("return select(2, pcall(cmsgpack.unpack, string.char(0xcd, 1)))"));
    assertEquals("table index is nil", eval("return select(2, pcall(cmsgpack.unpack, string.char(0x81, 0xc0, 1)))"));
  }

  @Test
  void bitAsRedis() {
    assertEquals("5 2 -2 0 ffffffff 00FF -2147483648 2018915346 268435455 -16",
        eval("return table.concat({bit.tobit(2^32 + 5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit(2^53),"
            + " bit.tohex(-1), bit.tohex(255, -4), bit.rol(0x80000001, 1) == 3 and bit.lshift(1, 31),"
            + " bit.bswap(0x12345678), bit.rshift(-1, 4), bit.arshift(-256, 4)}, ' ')"));
  }

  @Test
  void structAsRedis() {
    assertEquals("010201 01ffff 8 0 he 4",
        eval("local function h(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end"
            + " local a, b = struct.unpack('bc0', '\\2hello')"
            + " return table.concat({h(struct.pack('>i2', 258):sub(1, 1) .. struct.pack('<h', 258)),"
            + " h(struct.pack('b B', 1, 255) .. struct.pack('b', -1)), struct.size('!4bi'), struct.size('q'), a, b},"
            + " ' ')"));
    assertEquals("format 'c0' needs a previous size", eval("return select(2, pcall(struct.unpack, 'c0', 'abcd'))"));
  }

  @Test
  void worksInsideCoroutines() {
    assertEquals("[1,2] Expected value but found T_END at character 2",
        eval("local co = coroutine.wrap(function() coroutine.yield(cjson.encode({1, 2}))"
            + " return select(2, pcall(cjson.decode, '[')) end) return co() .. ' ' .. co()"));
  }

  @Test
  void eachStateHasItsOwnSettings() {
    Lua other = LuaScripts.newState();
    try {
      eval("cjson.encode_max_depth(1)");
      assertEquals("[{}]", LuaScripts.runText(other, "return cjson.encode({{}})"));
      assertEquals("Cannot serialise, excessive nesting (2)", eval("return select(2, pcall(cjson.encode, {{}}))"));
    } finally {
      other.close();
    }
  }

  @Test
  void cjsonNewInstancesAreCollected() {
    String count = "local n = 0 for _, v in pairs(debug.getregistry()) do"
        + " if type(v) == 'function' then n = n + 1 end end return tostring(n)";
    eval("for i = 1, 50 do cjson.new() end collectgarbage() collectgarbage()");
    int before = Integer.parseInt(eval(count));
    // 1000 instances of 10 functions each: kept forever, they would hold 10000 more registry references.
    eval("for i = 1, 1000 do cjson.new().encode({i}) end");
    Poll.until(Poll.WAIT, "the registry references of collected cjson.new() instances released", () -> {
      eval("collectgarbage() collectgarbage()");
      System.gc();
      eval("cjson.new()"); // wrapping releases what the cleaner has queued
      return Integer.parseInt(eval(count)) - before < 200;
    });
  }

  @Test
  void openNeedsAWorkingState() {
    Lua bare = new party.iroiro.luajava.lua51.Lua51();
    try {
      assertThrows(IllegalStateException.class, () -> ScriptLibraries.open(bare));
    } finally {
      bare.close();
    }
  }

  @Test
  void cConversionsOnX86() {
    assertEquals(0, BitOps.toBits(0x1p53));
    assertEquals(2, BitOps.toBits(2.5));
    assertEquals(Long.MIN_VALUE, CNumbers.toInt64(Double.NaN));
    assertEquals(Long.MIN_VALUE, CNumbers.toInt64(0x1p63));
    assertEquals(0L, CNumbers.toUnsigned64(0x1p64));
    assertEquals(-1L, CNumbers.toUnsigned64(-1.0));
    assertEquals(0x1p64, CNumbers.unsignedToDouble(-1L));
    assertEquals("1234ABCD", BitOps.toHex(0x1234abcd, Integer.MIN_VALUE));
  }
}
