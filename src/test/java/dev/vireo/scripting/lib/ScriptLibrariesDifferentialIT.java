package dev.vireo.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import party.iroiro.luajava.Lua;

/**
 * The libraries against a real redis-server 7.0: every script of {@code corpus.lua}, and seeded random ones, runs
 * as {@code EVAL <script> 0} there and in a Lua 5.1 state with {@link ScriptLibraries} here; the results, made one
 * string by the same Lua serializer on both sides ({@code prelude.lua}), must be byte-equal. Both states live for
 * the whole class, as Redis's does, so settings a script changes carry over alike.
 *
 * <p>More random cases per seed: {@code -Dvireo.lualibs.cases=N} (default 60 of each kind).
 */
class ScriptLibrariesDifferentialIT {
  private static final int CASES = Integer.getInteger("vireo.lualibs.cases", 60);

  private static RedisServerProcess redis;
  private static RespClient client;
  private static Lua lua;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start();
    client = redis.client();
    lua = LuaScripts.newState();
  }

  @AfterAll
  static void stop() {
    if (lua != null) lua.close();
    if (client != null) client.close();
    if (redis != null) redis.close();
  }

  @TestFactory
  Stream<DynamicTest> corpusAsRedis() {
    return LuaScripts.corpus().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      String script = LuaScripts.wrap(c.body());
      assertEquals(redisEval(script), LuaScripts.runText(lua, script), c.name());
    }));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void randomScriptsAsRedis(long seed) {
    RandomScripts random = new RandomScripts(seed);
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (int i = 0; i < CASES; i++) {
      for (int kind = 0; kind < 6; kind++) {
        String body = random.body(kind);
        String script = LuaScripts.wrap(body);
        String expected = redisEval(script);
        String actual = LuaScripts.runText(lua, script);
        compared++;
        if (!expected.equals(actual) && mismatches.size() < 5) {
          mismatches.add("seed " + seed + " case " + i + " kind " + kind + ":\n" + body + "\nredis: " + expected
              + "\nvireo: " + actual);
        }
      }
    }
    assertTrue(mismatches.isEmpty(), compared + " compared; first mismatches:\n" + String.join("\n\n", mismatches));
  }

  /** EVAL's reply: the bulk string's content, or the raw reply when it is not a bulk string. */
  private static String redisEval(String script) {
    byte[] reply = client.callBytes("EVAL".getBytes(StandardCharsets.US_ASCII),
        script.getBytes(StandardCharsets.UTF_8), "0".getBytes(StandardCharsets.US_ASCII));
    if (reply.length > 0 && reply[0] == '$') {
      int start = 0;
      while (reply[start] != '\n') start++;
      return new String(Arrays.copyOfRange(reply, start + 1, reply.length - 2), StandardCharsets.ISO_8859_1);
    }
    return new String(reply, StandardCharsets.ISO_8859_1);
  }
}
