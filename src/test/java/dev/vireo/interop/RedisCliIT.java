package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Cli;
import dev.vireo.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real {@code redis-cli} (7.0) as a user runs it, without a terminal: raw output by default,
 * {@code --no-raw} for the interactive formatting, {@code -3} for RESP3, {@code --pipe} for mass insertion.
 */
@Timeout(120)
class RedisCliIT {
  private static final String PASSWORD = "s3cret-pass";

  private TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private String cli(String... args) {
    Cli.Result result = Cli.run(node.port(), args);
    assertEquals(0, result.exitCode(), () -> "redis-cli " + String.join(" ", args) + " failed: " + result);
    return result.stdout();
  }

  @Test
  void smokeSessionInRawMode() {
    node = TestNode.start();
    assertEquals("PONG\n", cli("PING"));
    assertEquals("hello world\n", cli("ECHO", "hello world"));
    assertEquals("OK\n", cli("SET", "greeting", "hello"));
    assertEquals("hello\n", cli("GET", "greeting"));
    assertEquals("\n", cli("GET", "missing"), "a nil prints as an empty line in raw mode");
    assertEquals("1\n", cli("INCR", "counter"));
    assertEquals("2\n", cli("INCR", "counter"));
    assertEquals("2\n", cli("EXISTS", "greeting", "counter"));
    assertEquals("2\n", cli("DEL", "greeting", "counter", "missing"));
    assertEquals("0\n", cli("EXISTS", "greeting"));
    assertEquals("0\n", cli("DBSIZE"));
  }

  @Test
  void formattedOutputWithNoRaw() {
    node = TestNode.start();
    assertEquals("PONG\n", cli("--no-raw", "PING"));
    assertEquals("OK\n", cli("--no-raw", "SET", "k", "v"));
    assertEquals("\"v\"\n", cli("--no-raw", "GET", "k"));
    assertEquals("(nil)\n", cli("--no-raw", "GET", "missing"));
    assertEquals("(integer) 1\n", cli("--no-raw", "INCR", "n"));
    assertEquals("(integer) 1\n", cli("--no-raw", "EXISTS", "k"));
    assertEquals("OK\n", cli("--no-raw", "MSET", "a", "1", "b", "2"));
    assertEquals("1) \"1\"\n2) \"2\"\n3) (nil)\n", cli("--no-raw", "MGET", "a", "b", "c"));
  }

  @Test
  void errorRepliesAreShownAsRedisShowsThem() {
    node = TestNode.start();
    cli("SET", "text", "abc");
    assertEquals("ERR value is not an integer or out of range\n\n", cli("INCR", "text"));
    assertEquals("(error) ERR value is not an integer or out of range\n", cli("--no-raw", "INCR", "text"));
    String unknown = cli("--no-raw", "NOSUCHCOMMAND", "x");
    assertTrue(unknown.startsWith("(error) ERR unknown command"), unknown);
  }

  @Test
  void resp3ViaHello() {
    node = TestNode.start();
    assertEquals("PONG\n", cli("-3", "PING"));
    assertEquals("OK\n", cli("-3", "SET", "k", "v"));
    assertEquals("\"v\"\n", cli("-3", "--no-raw", "GET", "k"));
    String hello = cli("-3", "--no-raw", "HELLO", "3");
    assertTrue(hello.contains("\"proto\" => (integer) 3"), hello);
    // CONFIG GET answers a map in RESP3
    assertEquals("1# \"port\" => \"" + node.port() + "\"\n", cli("-3", "--no-raw", "CONFIG", "GET", "port"));
    String info = cli("-3", "CLIENT", "INFO");
    assertTrue(info.contains("resp=3"), info);
  }

  @Test
  void pipeMassInsertion() {
    node = TestNode.start();
    int count = 100_000;
    ByteArrayOutputStream commands = new ByteArrayOutputStream(count * 48);
    for (int i = 0; i < count; i++) {
      String key = "key:" + i;
      String value = "value:" + i;
      commands.writeBytes(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n"
          + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    Cli.Result result = Cli.run(node.port(), commands.toByteArray(), Duration.ofSeconds(90), "--pipe");
    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.stdout().contains("errors: 0, replies: " + count), result::toString);
    assertEquals(count + "\n", cli("DBSIZE"));
    assertEquals("value:99999\n", cli("GET", "key:99999"));
  }

  @Test
  void passwordWithDashA() {
    node = TestNode.start("--requirepass", PASSWORD);
    Cli.Result ok = Cli.run(node.port(), "-a", PASSWORD, "PING");
    assertEquals("PONG\n", ok.stdout(), ok::toString);
    assertTrue(ok.stderr().contains("Warning: Using a password"), ok::toString);
    assertEquals("PONG\n", cli("--no-auth-warning", "-a", PASSWORD, "-3", "PING"));
    assertEquals("OK\n", cli("--no-auth-warning", "-a", PASSWORD, "SET", "k", "v"));
    assertEquals("v\n", cli("--no-auth-warning", "-a", PASSWORD, "GET", "k"));
  }

  @Test
  void noAuthWithoutPassword() {
    node = TestNode.start("--requirepass", PASSWORD);
    assertEquals("NOAUTH Authentication required.\n\n", cli("PING"));
    assertEquals("(error) NOAUTH Authentication required.\n", cli("--no-raw", "GET", "k"));
    Cli.Result wrong = Cli.run(node.port(), "--no-auth-warning", "-a", "wrong", "PING");
    assertTrue(wrong.stdout().contains("NOAUTH Authentication required."), wrong::toString);
    assertTrue(wrong.stderr().contains("AUTH failed: WRONGPASS invalid username-password pair or user is disabled."),
        wrong::toString);
  }
}
