package dev.vireo.scripting;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A corpus of scripts (fixed cases plus seeded generated ones) run on a real Redis 7.0.15 and on Vireo, in RESP2
 * and in RESP3: every reply must be byte-equal. Covers number formatting, string.format, patterns, the conversion
 * rules both ways, the error texts (compile, runtime, redis.call misuse, numkeys, NOSCRIPT, read-only scripts,
 * globals protection), the shebang flags, and SCRIPT LOAD / EXISTS / FLUSH.
 */
class ScriptDifferentialIT {
  /** Each case: the command's arguments. */
  static List<String[]> corpus() {
    List<String[]> c = new ArrayList<>();
    // conversions Lua -> RESP
    for (String body : new String[] {
      "return 1", "return -1", "return 3.99", "return -3.99", "return 1e300", "return -1e300", "return 0/0",
      "return 2^53", "return 'x'", "return ''", "return true", "return false", "return nil",
      "return {1,2,3.7,nil,4}", "return {true,false,'x',{ok='fine'}}", "return {1,{2,{3,{4}}}}",
      "return {ok='x\\ny'}", "return {err='x\\ny'}", "return {err='bad thing'}", "return {err='-ERR dash'}",
      "return {ok=1}", "return {err=1}", "return {}", "return {a=1}", "return {double=1.5}", "return {double=3}",
      "return {double=0.1}", "return {double=1/0}", "return {double=-1/0}", "return {big_number='123456789012345678901234567890'}",
      "return {map={a=1}}", "return {set={a=true}}", "return {map={a={1,2}}}", "return {map={}}",
      "return {verbatim_string={format='txt',string='hello'}}", "return {1, {err='inner'}, 3}",
      "return redis.error_reply('bad')", "return redis.error_reply('E x')", "return redis.error_reply('-X y z')",
      "return redis.error_reply()", "return redis.status_reply('FINE')", "return redis.status_reply()",
      "return redis.error_reply(12)",
    }) {
      c.add(new String[] {"EVAL", body, "0"});
    }
    // conversions RESP -> Lua, RESP2 and RESP3
    String[] setups = {
      "redis.call('set','s','v') redis.call('rpush','l','a','b') redis.call('hset','h','f','v','g','w') "
          + "redis.call('sadd','st','m') redis.call('zadd','z',1.5,'a')",
    };
    c.add(new String[] {"EVAL", setups[0] + " return 1", "0"});
    for (String cmd : new String[] {
      "'get','s'", "'get','missing'", "'lrange','l',0,-1", "'hgetall','h'", "'smembers','st'", "'incr','n'",
      "'zscore','z','a'", "'zrange','z',0,-1,'withscores'", "'type','s'", "'set','s2','x'", "'ping'",
      "'hrandfield','missing'", "'lpop','missing'", "'exists','s','l'", "'object','encoding','l'",
      "'set','s3','v','get'", "'zincrby','z',1,'a'", "'debug','sleep',0",
    }) {
      for (String mode : new String[] {"", "redis.setresp(3) "}) {
        c.add(new String[] {"EVAL", mode + "local r = redis.call(" + cmd + ") return type(r) .. ':' .. "
            + "(type(r) == 'table' and cjsonish(r) or tostring(r))", "0"});
        c.add(new String[] {"EVAL", mode + "return redis.call(" + cmd + ")", "0"});
      }
    }
    // errors from commands, pcall
    for (String body : new String[] {
      "return redis.call('incr','s')", "return redis.pcall('incr','s')", "return redis.call('nosuch')",
      "return redis.pcall('nosuch')", "return redis.call()", "return redis.call(1)", "return redis.call({})",
      "return redis.call('get', {})", "return redis.call('set','x')", "return redis.call('eval','return 1',0)",
      "return redis.call('blpop','l',0)", "return redis.call('echo', 0.1)", "return redis.call('echo', 1e20)",
      "return redis.call('echo', 3)", "return redis.call('echo', -0.5)", "return redis.call('echo', 1/0)",
      "return redis.call('config', 'nosuch')", "return redis.call('subscribe','x')",
      "local t = redis.pcall('incr','s') return t.err", "local ok, e = pcall(redis.call, 'nosuch') return e.err",
      "local ok, e = pcall(error, 'x') return e", "error('x')", "error({err='MY bad'})", "error()",
      "error(nil)", "error(42)", "local t = nil; return t.x", "return 1 + {}", "return #nil", "return 1 +",
      "return ''..{}", "return string.rep()", "x = 1", "a=5", "return x", "return _G.zz", "_G.zz = 1",
      "redis.call = nil return 1", "string.foo = 1 return 1", "rawset(_G, 'a', 1)", "setmetatable(_G, nil)",
      "return os", "return io", "return loadfile", "return dofile", "return print", "return debug",
      "return require", "return setfenv", "return getfenv", "return newproxy", "return module",
      "local t = {} t.x = 1 return t.x", "return redis.setresp(4)", "return redis.set_repl(9)",
      "redis.log(99, 'x')", "redis.log(redis.LOG_WARNING)", "return redis.sha1hex()", "return redis.sha1hex('')",
      "return redis.sha1hex('abc')", "return redis.sha1hex(12)", "return redis.replicate_commands()",
      "return redis.REDIS_VERSION", "return redis.REDIS_VERSION_NUM", "return {redis.REPL_NONE, redis.REPL_AOF,"
          + " redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL, redis.LOG_DEBUG, redis.LOG_WARNING}",
      "return loadstring('return 7')()", "return {pcall(loadstring, 'return 1')}", "return tostring(loadstring('x='))",
      "loadstring('y = 1')()", "return type(_G)", "return _VERSION", "return type(coroutine.create)",
      "local co = coroutine.wrap(function() coroutine.yield(5) end) return co()",
      "return select('#', 1, 2, 3)", "return unpack({1,2,3})", "return {unpack({1,2,3})}",
      "return tonumber('0x10')", "return tonumber('  12  ')", "return tonumber('1e2')", "return tonumber('z', 36)",
      "return math.floor(3.7)", "return math.huge", "return tostring(math.huge)", "return tostring(-math.huge)",
      "return tostring(0/0)", "return tostring(1e15)", "return tostring(1e16)", "return tostring(123456789012)",
      "return tostring(0.1)", "return tostring(1/3)", "return tostring(-0)", "return tostring(2^63)",
      "return 1e15 .. ''", "return 2^31 .. ''", "return 7 % 3 .. ''", "return -7 % 3 .. ''",
      "return math.fmod(-7, 3) .. ''", "return math.max(1, 5, 3)", "return tostring(math.pi)",
      "return string.format('%5.2f %d %s %q', 3.14159, 42, 'x', 'a\"b')", "return string.format('%x %X %o', 255, 255, 8)",
      "return string.format('%e', 12345.678)", "return string.format('%g %g %g', 1e20, 0.0001, 100000)",
      "return string.format('%10s|%-10s|', 'a', 'b')", "return string.format('%c%c', 72, 105)",
      "return string.format('%5.1s', 'abc')", "return string.format('%i', 3.9)", "return string.format('%d', -3.9)",
      "return string.format('%.3f', 2.0005)", "return string.format('%q', '\\0\\n\\r')", "return string.format('%s', 1.5)",
      "return string.format('%d')", "return string.format('%z', 1)", "return string.format('%5%')",
      "return string.find('hello world', 'o w')", "return {string.find('hello', 'l+')}",
      "return {string.match('key:123:name', '(%a+):(%d+):(%a+)')}", "return string.gsub('hello world', 'o', '0')",
      "return {string.gsub('abc', '%w', '%0%0')}", "return string.gsub('abc', '', '-')",
      "local t = {} for w in string.gmatch('one two three', '%a+') do t[#t+1] = w end return t",
      "return string.match('  trim  ', '^%s*(.-)%s*$')", "return string.rep('ab', 3, ',')",
      "return string.byte('ABC', 1, -1)", "return {string.byte('ABC', 1, -1)}", "return string.char(104, 105)",
      "return string.sub('hello', -3)", "return string.upper('abc') .. string.lower('DEF')",
      "return string.len('\\0\\1')", "return string.reverse('abc')", "return ('x'):rep(3)",
      "return string.format('%s', {})", "return string.find('a.b', '.', 1, true)", "return string.match('x', '(')",
      "return string.gsub('hello', '(l)(l)', '%2%1')", "return string.gsub('abc', 'b', {b='B'})",
      "return string.gsub('abc', 'b', function(x) return x:upper() end)", "return string.match('2024-01-02', '%d+-(%d+)')",
      "return string.find('abc', '[b-c]+')", "return string.match('f(a,b)', '%b()')", "return string.match('THE (quick) fox', '%f[%a]%a+')",
      "return table.concat({1,2,3}, ',')", "local t = {3,1,2} table.sort(t) return t",
      "local t = {3,1,2} table.sort(t, function(a,b) return a > b end) return t", "local t = {1,2} table.insert(t, 3) return t",
      "local t = {1,2,3} table.remove(t, 1) return t", "return table.getn({1,2,3})", "return #{1,2,nil,4}",
      "return table.maxn({1,2,nil,4})", "return next({})", "return type(next)", "return rawequal(1, 1)",
      "return rawget(_G, 'KEYS') ~= nil", "local n = 0 for k in pairs(_G) do n = n + 1 end return n > 10",
      "local n = 0 for k in pairs(string) do n = n + 1 end return n", "return #KEYS", "return #ARGV",
      "return gcinfo() > 0", "return collectgarbage('count') > 0", "return assert(false, 'assertion')",
      "return assert(1 == 1)", "return xpcall(function() error('in') end, function(e) return 'handled: ' .. e end)",
      "return {pcall(function() error({code=1}) end)}", "return tostring(nil)", "return type(redis.call)",
      "return string.format('%.17g', 0.1)",
    }) {
      c.add(new String[] {"EVAL", body, "0"});
    }
    // the four libraries Redis adds, end to end (their own corpus is ScriptLibrariesDifferentialIT)
    for (String body : new String[] {
        "return type(bit)", "return type(cjson)", "return type(cmsgpack)", "return type(struct)",
        "return cjson.encode({1, 2, {a = 1}, 'x'})", "return cjson.decode('[1,2.5,\"s\",{\"k\":null}]')[2]",
        "return cjson.encode(cjson.decode('{\"a\":[1,2,3]}'))", "return {pcall(cjson.decode, '{bad')}",
        "return cmsgpack.unpack(cmsgpack.pack({1, 'a', 2.5}))", "return #cmsgpack.pack(1, 300, 70000, 2^40)",
        "return bit.band(0xff, 0x0f)", "return bit.tohex(bit.bnot(0))", "return bit.lshift(1, 40)",
        "return struct.pack('>I2', 258)", "return {struct.unpack('<i4', struct.pack('<i4', -7))}",
        "return {pcall(function() cjson.encode = nil end)}", "cjson.x = 1", "return redis.sha1hex(cjson.encode({}))",
    }) {
      c.add(new String[] {"EVAL", body, "0"});
    }
    // KEYS and ARGV, numkeys
    c.add(new String[] {"EVAL", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "k1", "k2", "a1", "a2"});
    c.add(new String[] {"EVAL", "return ARGV", "0", "a\u00e9b", "", "x y"});
    c.add(new String[] {"EVAL", "return KEYS", "3", "a", "b"});
    c.add(new String[] {"EVAL", "return 1", "-1"});
    c.add(new String[] {"EVAL", "return 1", "abc"});
    c.add(new String[] {"EVAL", "return 1", "1.5"});
    c.add(new String[] {"EVAL", "return 1"});
    c.add(new String[] {"EVALSHA", "0123456789012345678901234567890123456789", "0"});
    c.add(new String[] {"EVALSHA", "short", "0"});
    c.add(new String[] {"EVAL", "return redis.call('get', KEYS[1])", "1", "s"});
    c.add(new String[] {"EVAL", "return redis.call('incrbyfloat', KEYS[1], ARGV[1])", "1", "f", "1.5"});
    // read-only scripts and shebangs
    for (String[] cmd : new String[][] {
      {"EVAL_RO", "return redis.call('set','x',1)", "0"}, {"EVAL_RO", "return redis.call('get','s')", "0"},
      {"EVAL", "#!lua flags=no-writes\nreturn redis.call('set','x',1)", "0"},
      {"EVAL", "#!lua flags=no-writes\nreturn redis.call('get','s')", "0"},
      {"EVAL", "#!lua\nreturn redis.call('set','x',1)", "0"}, {"EVAL_RO", "#!lua\nreturn 1", "0"},
      {"EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"},
      {"EVAL", "#!lua flags=allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1", "0"},
      {"EVAL", "#!lua name=x\nreturn 1", "0"}, {"EVAL", "#!lua flags=foo\nreturn 1", "0"},
      {"EVAL", "#!lua flags=no-writes x=1\nreturn 1", "0"}, {"EVAL", "#!luajit\nreturn 1", "0"},
      {"EVAL", "#!lua flags=\nreturn 1", "0"}, {"EVAL", "#!lua\nerror('line two')", "0"},
      {"EVAL", "\n\nerror('line three')", "0"}, {"EVAL", "local a = 1\nlocal b = nil\nreturn b.c", "0"},
    }) {
      c.add(cmd);
    }
    // the script cache
    c.add(new String[] {"SCRIPT", "LOAD", "return 'loaded'"});
    c.add(new String[] {"EVALSHA", LuaRuntime.sha1hex("return 'loaded'".getBytes()), "0"});
    c.add(new String[] {"EVALSHA", LuaRuntime.sha1hex("return 'loaded'".getBytes()).toUpperCase(), "0"});
    c.add(new String[] {"EVALSHA_RO", LuaRuntime.sha1hex("return 'loaded'".getBytes()), "0"});
    c.add(new String[] {"SCRIPT", "EXISTS", LuaRuntime.sha1hex("return 'loaded'".getBytes()), "nope"});
    c.add(new String[] {"SCRIPT", "LOAD", "return +"});
    c.add(new String[] {"SCRIPT", "LOAD", "#!lua flags=bad\nreturn 1"});
    c.add(new String[] {"SCRIPT", "FLUSH", "bad"});
    c.add(new String[] {"SCRIPT", "FLUSH"});
    c.add(new String[] {"SCRIPT", "EXISTS", LuaRuntime.sha1hex("return 'loaded'".getBytes())});
    c.add(new String[] {"SCRIPT", "KILL"});
    c.add(new String[] {"SCRIPT", "DEBUG", "NO"});
    c.add(new String[] {"SCRIPT", "DEBUG", "foo"});
    c.add(new String[] {"SCRIPT", "HELP"});
    c.add(new String[] {"SCRIPT", "NOSUCH"});
    c.add(new String[] {"SCRIPT"});
    c.add(new String[] {"COMMAND", "INFO", "eval", "evalsha", "eval_ro", "evalsha_ro", "script|kill", "script|load"});
    c.add(new String[] {"COMMAND", "GETKEYS", "EVAL", "return 1", "2", "a", "b", "c"});
    c.add(new String[] {"COMMAND", "GETKEYS", "EVAL", "return 1", "0"});
    c.add(new String[] {"EVAL", "return redis.call('get', 'k')", "0"});
    // inside MULTI/EXEC a script runs as one of the transaction's commands
    c.add(new String[] {"MULTI"});
    c.add(new String[] {"EVAL", "return redis.call('incr', KEYS[1])", "1", "mx"});
    c.add(new String[] {"EVAL", "return redis.call('nosuch')", "0"});
    c.add(new String[] {"EVAL", "return {1, 'two', {ok='three'}}", "0"});
    c.add(new String[] {"EXEC"});
    c.add(new String[] {"MULTI"});
    c.add(new String[] {"EVAL", "return 1"});
    c.add(new String[] {"EXEC"});
    c.add(new String[] {"CLIENT", "NO-EVICT", "on"});
    return c;
  }

  /** Seeded scripts: arithmetic and formatting of random numbers, and random values through conversions. */
  static List<String[]> generated(long seed, int n) {
    Random rnd = new Random(seed);
    List<String[]> c = new ArrayList<>();
    String[] fmts = {"%d", "%5.2f", "%g", "%e", "%.3g", "%x", "%10.4f", "%-8d|", "%+d", "%.0f", "%.14g", "%s"};
    for (int i = 0; i < n; i++) {
      double v = switch (rnd.nextInt(5)) {
        case 0 -> rnd.nextInt(2000) - 1000;
        case 1 -> (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(30) - 10);
        case 2 -> rnd.nextLong();
        case 3 -> rnd.nextInt(100) / 8.0;
        default -> rnd.nextGaussian() * 1e6;
      };
      String lit = Double.toString(v);
      switch (rnd.nextInt(6)) {
        case 0 -> c.add(new String[] {"EVAL", "return tostring(" + lit + ")", "0"});
        case 1 -> c.add(new String[] {"EVAL", "return " + lit, "0"});
        case 2 -> c.add(new String[] {"EVAL", "return string.format('" + fmts[rnd.nextInt(fmts.length)] + "', "
            + lit + ")", "0"});
        case 3 -> c.add(new String[] {"EVAL", "return redis.call('echo', " + lit + ")", "0"});
        case 4 -> c.add(new String[] {"EVAL", "return {double=" + lit + "}", "0"});
        default -> c.add(new String[] {"EVAL", "return tonumber(ARGV[1]) * 3", "0", lit});
      }
    }
    return c;
  }

  private static String infoField(String info, String name) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
    }
    return "(absent)";
  }

  @Test
  void corpusMatchesRedisInResp2AndResp3() {
    long seed = Long.getLong("vireo.diff.seed", 20261202L);
    List<String[]> cases = new ArrayList<>(corpus());
    cases.addAll(generated(seed, Integer.getInteger("vireo.diff.steps", 400)));
    List<String> failures = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient real = redis.client();
        RespClient ours = node.client()) {
      for (int proto : new int[] {2, 3}) {
        real.call("HELLO", Integer.toString(proto));
        ours.call("HELLO", Integer.toString(proto));
        real.call("FLUSHALL");
        ours.call("FLUSHALL");
        for (String[] cmd : cases) {
          String[] actualCmd = withHelpers(cmd);
          String expected = real.call(actualCmd);
          String actual = ours.call(actualCmd);
          if (!expected.equals(actual)) {
            failures.add("RESP" + proto + " " + show(String.join(" | ", cmd)) + "\n  redis: " + show(expected)
                + "\n  vireo: " + show(actual));
          }
        }
        String cached = "number_of_cached_scripts";
        String expected = infoField(real.call("INFO", "memory"), cached);
        String actual = infoField(ours.call("INFO", "memory"), cached);
        if (!expected.equals(actual)) failures.add(cached + " redis " + expected + " vireo " + actual);
      }
    }
    if (!failures.isEmpty()) fail(failures.size() + " differences (seed " + seed + "):\n" + String.join("\n", failures));
  }

  /** Every byte value through KEYS/ARGV, redis.call, the reply parser and the result, as Redis passes them. */
  @Test
  void binaryStringsPassUnchanged() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) all[i] = (byte) i;
    byte[][][] cases = {
      {b("EVAL"), b("return ARGV[1]"), b("0"), all},
      {b("EVAL"), b("return #ARGV[1]"), b("0"), all},
      {b("EVAL"), b("return {string.byte(ARGV[1], 1, 8)}"), b("0"), new byte[] {0, 1, (byte) 0x80, (byte) 0xff}},
      {b("EVAL"), b("redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])"), b("1"), all, all},
      {b("EVAL"), b("return redis.call('hset', KEYS[1], ARGV[1], ARGV[1])"), b("1"), b("h"), all},
      {b("EVAL"), b("return redis.call('hgetall', KEYS[1])"), b("1"), b("h")},
      {b("EVAL"), b("return 'a\0b\255'"), b("0")},
      {b("EVAL"), b("return string.char(0, 200, 10, 13)"), b("0")},
      {b("EVAL"), b("return {err = 'E \0 x'}"), b("0")},
      {b("EVAL"), new byte[] {'r', 'e', 't', 'u', 'r', 'n', ' ', '\'', (byte) 0xc3, (byte) 0xa9, '\''}, b("0")},
    };
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient real = redis.client();
        RespClient ours = node.client()) {
      for (byte[][] cmd : cases) {
        String expected = new String(real.callBytes(cmd), StandardCharsets.ISO_8859_1);
        String actual = new String(ours.callBytes(cmd), StandardCharsets.ISO_8859_1);
        if (!expected.equals(actual)) {
          fail(new String(cmd[1], StandardCharsets.ISO_8859_1) + "\n  redis: " + show(expected)
              + "\n  vireo: " + show(actual));
        }
      }
    }
  }

  /** MONITOR shows the EVAL before it runs, then each command of the script as client "lua", as Redis does. */
  @Test
  void monitorShowsTheScriptAndItsCommands() {
    try (RedisServerProcess redis = RedisServerProcess.start(); TestNode node = TestNode.start()) {
      List<String> expected = monitored(redis.client(), redis.client());
      List<String> actual = monitored(node.client(), node.client());
      if (!expected.equals(actual)) fail("redis: " + expected + "\nvireo: " + actual);
    }
  }

  /** A script's write touches a WATCHed key (EXEC fails) and wakes a client blocked on a list, as in Redis. */
  @Test
  void scriptWritesTouchWatchesAndWakeBlockedClients() {
    try (RedisServerProcess redis = RedisServerProcess.start(); TestNode node = TestNode.start()) {
      List<String> expected = watchedAndBlocked(redis.client(), redis.client(), redis.client());
      List<String> actual = watchedAndBlocked(node.client(), node.client(), node.client());
      if (!expected.equals(actual)) fail("redis: " + expected + "\nvireo: " + actual);
    }
  }

  private static List<String> watchedAndBlocked(RespClient a, RespClient b, RespClient blocked) {
    try (a; b; blocked) {
      List<String> r = new ArrayList<>();
      r.add(a.call("WATCH", "w"));
      r.add(b.call("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "w"));
      r.add(a.call("MULTI"));
      r.add(a.call("SET", "w", "mine"));
      r.add(a.call("EXEC"));
      blocked.sendRaw(RespClient.encodeCommand("BLPOP", "q", "0"));
      Poll.until(Poll.WAIT, "the client to block", () -> b.call("INFO", "clients").contains("blocked_clients:1"));
      r.add(b.call("EVAL", "redis.call('rpush', KEYS[1], 'a', 'b') return redis.call('llen', KEYS[1])", "1", "q"));
      r.add(blocked.readReply());
      r.add(b.call("LRANGE", "q", "0", "-1"));
      return r;
    }
  }

  private static List<String> monitored(RespClient monitor, RespClient c) {
    try (monitor; c) {
      monitor.call("MONITOR");
      c.call("SELECT", "2");
      c.call("EVAL", "redis.call('set', KEYS[1], ARGV[1]) redis.call('select', 5) return redis.call('get', KEYS[1])",
          "1", "k", "v");
      c.call("PING");
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        // "+<time> [<db> <from>] args": the time and the client's port differ from run to run
        lines.add(monitor.readReply().replaceAll("^\\+\\d+\\.\\d+ ", "+").replaceAll("127\\.0\\.0\\.1:\\d+", "client"));
      }
      return lines;
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Scripts may call cjsonish(t): a deterministic rendering of a reply table, defined in the script itself. */
  private static String[] withHelpers(String[] cmd) {
    if (!cmd[0].equals("EVAL") || cmd.length < 2 || !cmd[1].contains("cjsonish")) return cmd;
    String[] r = cmd.clone();
    r[1] = "local function cjsonish(t) local keys = {} for k in pairs(t) do keys[#keys+1] = tostring(k) end "
        + "table.sort(keys) local out = {} for _, k in ipairs(keys) do local v = t[k] if v == nil then v = t[tonumber(k)] end "
        + "out[#out+1] = k .. '=' .. (type(v) == 'table' and cjsonish(v) or tostring(v)) end "
        + "return '{' .. table.concat(out, ',') .. '}' end " + cmd[1];
    return r;
  }

  static String show(String s) {
    return s.replace("\r\n", "\\r\\n");
  }
}
