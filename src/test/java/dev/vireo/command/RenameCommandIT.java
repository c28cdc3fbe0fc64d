package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.VireoJar;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rename-command}: the command answers to its new name only (clients, scripts, COMMAND INFO and GETKEYS), an
 * empty name disables it, and it keeps its own name where it is described (COMMAND INFO, INFO commandstats), as
 * Redis 7.0 does; Redis Sentinel relies on it when told a node's renamed CONFIG or SLAVEOF. Same bytes from both.
 */
@Timeout(60)
class RenameCommandIT {
  private static final String[] RENAMES = {
    "--rename-command", "config", "xconfig", "--rename-command", "set", "myset", "--rename-command", "flushall", "",
    "--rename-command", "get", "get"};

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void renamedCommandsAnswerByTheirNewNameOnly(String kind) {
    int plainCount;
    try (AnyServer plain = AnyServer.start(kind); RespClient c = plain.client()) {
      plainCount = Integer.parseInt(c.call("COMMAND", "COUNT").substring(1).trim());
    }
    try (AnyServer s = AnyServer.start(kind, RENAMES); RespClient c = s.client()) {
      assertEquals("-ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' \r\n",
          c.call("CONFIG", "GET", "port"));
      String port = Integer.toString(s.port());
      assertEquals("*2\r\n$4\r\nport\r\n$" + port.length() + "\r\n" + port + "\r\n", c.call("XCONFIG", "GET", "port"));
      assertEquals("-ERR unknown command 'SET', with args beginning with: 'k' 'v' \r\n", c.call("SET", "k", "v"));
      assertEquals("+OK\r\n", c.call("MYSET", "k", "v"));
      // renamed to its own name: unchanged
      assertEquals("$1\r\nv\r\n", c.call("GET", "k"));
      assertEquals("-ERR unknown command 'flushall', with args beginning with: \r\n", c.call("flushall"));
      // one command fewer: the disabled one
      assertEquals(":" + (plainCount - 1) + "\r\n", c.call("COMMAND", "COUNT"));

      // described by its own name, found by the new one
      assertTrue(c.call("COMMAND", "INFO", "myset").startsWith("*1\r\n*10\r\n$3\r\nset\r\n:-3\r\n"),
          c.call("COMMAND", "INFO", "myset"));
      assertEquals("*1\r\n$-1\r\n", c.call("COMMAND", "INFO", "set"));
      assertEquals("*1\r\n$-1\r\n", c.call("COMMAND", "INFO", "flushall"));
      assertEquals("*1\r\n$1\r\nk\r\n", c.call("COMMAND", "GETKEYS", "myset", "k", "v"));
      assertEquals("-ERR Invalid command specified\r\n", c.call("COMMAND", "GETKEYS", "set", "k", "v"));
      // COMMAND LIST matches a pattern against the names commands describe themselves by
      assertEquals("*0\r\n", c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "myset"));
      assertEquals("*1\r\n$3\r\nset\r\n", c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "set"));

      // scripts call commands by the same names
      assertEquals("+OK\r\n", c.call("EVAL", "return redis.call('myset','a','b')", "0"));
      assertTrue(c.call("EVAL", "return redis.call('set','a','b')", "0")
          .startsWith("-ERR Unknown Redis command called from script"));

      // inside MULTI, as Sentinel reconfigures a node
      assertEquals("+OK\r\n", c.call("MULTI"));
      assertEquals("+QUEUED\r\n", c.call("XCONFIG", "GET", "port"));
      assertEquals("-ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' \r\n",
          c.call("CONFIG", "GET", "port"));
      assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));

      String stats = c.call("INFO", "commandstats");
      assertTrue(stats.contains("cmdstat_set:calls=2,"), stats);
      assertTrue(!stats.contains("myset"), stats);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void anImpossibleRenameIsFatal(String kind) throws Exception {
    assertFatal(kind, new String[] {"nosuch", "x"},
        ">>> 'rename-command \"nosuch\" \"x\"'\nNo such command in rename-command");
    assertFatal(kind, new String[] {"set", "get"},
        ">>> 'rename-command \"set\" \"get\"'\nTarget command name already exists");
  }

  private static void assertFatal(String kind, String[] rename, String expected) throws Exception {
    String port = Integer.toString(FreePort.get());
    if (kind.equals("redis")) {
      Process p = new ProcessBuilder(ExternalTool.require("redis-server").toString(), "--port", port, "--save", "",
          "--rename-command", rename[0], rename[1]).redirectErrorStream(true).start();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "redis-server did not exit");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, p.exitValue(), out);
      assertTrue(out.contains(expected), out);
      return;
    }
    try (VireoJar jar = VireoJar.launch(Map.of(), "--port", port, "--rename-command", rename[0], rename[1])) {
      assertEquals(1, jar.awaitExit());
      assertTrue(jar.output().contains(expected), jar.output());
    }
  }
}
