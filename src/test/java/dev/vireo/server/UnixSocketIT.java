package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.Cli;
import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.VireoJar;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code unixsocket} and {@code unixsocketperm} through the real tools: {@code redis-cli -s} and {@code
 * redis-benchmark -s} against a node listening on a socket file as well as on TCP. Each case runs against a real
 * redis-server with the same expectation ("redis"), a node in this JVM ("vireo") and the packaged jar ("jar", the
 * fat jar with Netty's native library inside).
 */
class UnixSocketIT {
  private static final Duration RUN = Duration.ofSeconds(60);
  private Path dir;
  private Path sock;

  @BeforeEach
  void makeDir() throws IOException {
    // short: a socket path has at most 107 bytes
    dir = Files.createTempDirectory("vireo-us");
    sock = dir.resolve("s.sock");
  }

  @AfterEach
  void removeDir() {
    TempDirs.deleteQuietly(dir);
  }

  /** A server of that kind on TCP (a free port) and on {@link #sock}. */
  private AnyServer start(String kind, String... more) {
    List<String> args = new ArrayList<>(List.of("--unixsocket", sock.toString()));
    args.addAll(List.of(more));
    return startWith(kind, args);
  }

  private static AnyServer startWith(String kind, List<String> args) {
    args = new ArrayList<>(args);
    return switch (kind) {
      case "redis" -> AnyServer.redis(args.toArray(String[]::new));
      case "vireo" -> {
        // the node adds --port 0, which with unixsocket turns TCP off (as in Redis): give it a port
        args.addAll(List.of("--port", Integer.toString(FreePort.get())));
        yield AnyServer.node(args.toArray(String[]::new));
      }
      case "jar" -> AnyServer.jar(args.toArray(String[]::new));
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** {@code redis-cli -s <sock> args...} (raw output, no terminal). */
  static Cli.Result cli(Path sock, String... args) {
    return cli(sock, null, args);
  }

  static Cli.Result cli(Path sock, byte[] stdin, String... args) {
    return Cli.onSocket(sock, stdin, args);
  }

  /** {@code redis-benchmark -s <sock> -q args...}: each test's summary line, the progress lines left out. */
  static String benchmark(Path sock, String... args) {
    List<String> command = new ArrayList<>(List.of(ExternalTool.require("redis-benchmark").toString(), "-s",
        sock.toString(), "-q"));
    command.addAll(List.of(args));
    Cli.Result r = Cli.exec(command, null, RUN);
    assertEquals(0, r.exitCode(), "redis-benchmark exit status; stderr: " + r.stderr());
    StringBuilder summary = new StringBuilder();
    for (String line : r.stdout().split("\n")) {
      String[] parts = line.split("\r");
      String last = parts[parts.length - 1].trim();
      if (!last.isEmpty()) summary.append(last).append('\n');
    }
    return summary + r.stderr();
  }

  /** A socket file: neither a regular file, a directory nor a link ("other" to Java). */
  static boolean isSocket(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
  }

  /** The {@code name=value} fields of a CLIENT LIST/INFO line. */
  static Map<String, String> fields(String clientLine) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : clientLine.trim().split(" ")) {
      int eq = kv.indexOf('=');
      if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo", "jar"})
  void redisCliOverTheSocket(String kind) {
    try (AnyServer server = start(kind); RespClient tcp = server.client()) {
      assertEquals("PONG", cli(sock, "PING").out());
      assertEquals("OK", cli(sock, "SET", "k", "v").out());
      assertEquals("v", cli(sock, "GET", "k").out());
      assertEquals("$1\r\nv\r\n", tcp.call("GET", "k"), "the same keyspace on TCP");
      // RESP3 on the socket
      assertTrue(cli(sock, "-3", "HELLO", "3").out().contains("\nproto 3\n"));
      // pipelining: redis-cli --pipe writes everything, then reads the replies
      String input = "SET a 1\r\nINCR a\r\nINCR a\r\nRPUSH l x y z\r\nGET a\r\n";
      Cli.Result pipe = cli(sock, input.getBytes(StandardCharsets.UTF_8), "--pipe");
      assertTrue(pipe.stdout().contains("errors: 0, replies: 5"), pipe.stdout() + pipe.stderr());
      assertEquals("$1\r\n3\r\n", tcp.call("GET", "a"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo", "jar"})
  void authOnTheSocket(String kind) {
    try (AnyServer server = start(kind, "--requirepass", "s3cret")) {
      assertEquals("NOAUTH Authentication required.", cli(sock, "GET", "k").out());
      assertEquals("PONG", cli(sock, "-a", "s3cret", "--no-auth-warning", "PING").out());
      Cli.Result wrong = cli(sock, "-a", "nope", "--no-auth-warning", "PING");
      assertEquals("AUTH failed: WRONGPASS invalid username-password pair or user is disabled.",
          wrong.stderr().strip());
      assertEquals("NOAUTH Authentication required.", wrong.out());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo", "jar"})
  void redisBenchmarkCompletesWithoutErrors(String kind) {
    try (AnyServer server = start(kind); RespClient tcp = server.client()) {
      String all = benchmark(sock, "-n", "2000");
      String pipelined = benchmark(sock, "-n", "5000", "-P", "16", "-t", "set,get,lpush,lpop");
      for (String out : List.of(all, pipelined)) {
        assertFalse(out.toLowerCase().contains("err"), out);
        for (String line : out.split("\n")) {
          assertTrue(line.contains("requests per second"), "every test completes: " + out);
        }
      }
      assertEquals(20, all.split("\n").length, all); // every default test of redis-benchmark 7.0
      assertEquals(4, pipelined.split("\n").length, pipelined);
      assertEquals("$3\r\nVXK\r\n", tcp.call("GET", "key:__rand_int__"), "the benchmark's writes landed");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo", "jar"})
  void permissionsOfTheSocketFile(String kind) throws IOException {
    try (AnyServer server = start(kind, "--unixsocketperm", "700")) {
      assertTrue(isSocket(sock), "a socket, neither file nor directory");
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
      assertEquals("700", cli(sock, "CONFIG", "GET", "unixsocketperm").out().lines().toList().get(1));
    }
    try (AnyServer server = start(kind, "--unixsocketperm", "660")) {
      assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
    }
  }

  /** A relative path is taken from {@code dir} (Redis changes to it); CLIENT LIST shows it as configured. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo", "jar"})
  void relativePathFromDir(String kind) {
    try (AnyServer server = startWith(kind, List.of("--dir", dir.toString(), "--unixsocket", "s.sock"))) {
      assertEquals("s.sock:0", fields(cli(sock, "CLIENT", "INFO").out()).get("addr"));
      cli(sock, "SHUTDOWN", "NOSAVE");
      Poll.until(RUN, "the socket file removed on shutdown", () -> !Files.exists(sock));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo", "jar"})
  void staleFileReplacedAtStartAndRemovedOnShutdown(String kind) throws IOException {
    Files.writeString(sock, "left over by a crashed server");
    try (AnyServer server = start(kind)) {
      assertTrue(isSocket(sock), "the stale file was replaced by the socket");
      assertEquals("PONG", cli(sock, "PING").out());
      cli(sock, "SHUTDOWN", "NOSAVE");
      Poll.until(RUN, "the socket file removed on shutdown", () -> !Files.exists(sock));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo", "jar"})
  void clientsOnTheSocketAsRedisShowsThem(String kind) {
    try (AnyServer server = start(kind, "--enable-debug-command", "local"); RespClient tcp = server.client()) {
      Map<String, String> info = fields(cli(sock, "CLIENT", "INFO").out());
      assertEquals(sock + ":0", info.get("addr"));
      assertEquals(sock + ":0", info.get("laddr"));
      assertEquals("U", info.get("flags"));
      Map<String, String> listed = fields(cli(sock, "CLIENT", "LIST").out());
      assertEquals(List.of(sock + ":0", sock + ":0", "U"),
          List.of(listed.get("addr"), listed.get("laddr"), listed.get("flags")));
      // a TCP client beside it is shown as before
      Map<String, String> tcpInfo = fields(tcp.call("CLIENT", "INFO"));
      assertEquals("127.0.0.1:" + server.port(), tcpInfo.get("laddr"));
      assertEquals("N", tcpInfo.get("flags"));
      // CLIENT KILL ADDR matches the socket's clients (skipping the caller)
      assertEquals("0", cli(sock, "CLIENT", "KILL", "ADDR", sock + ":0").out());
      // a socket client is local: enable-debug-command local lets it in
      assertTrue(cli(sock, "DEBUG", "DIGEST").out().matches("[0-9a-f]{40}"));
      // the socket's connections count as any others
      long before = Long.parseLong(InfoFields.get(tcp.call("INFO", "stats"), "total_connections_received"));
      cli(sock, "PING");
      cli(sock, "PING");
      assertEquals(Long.toString(before + 2), InfoFields.get(tcp.call("INFO", "stats"), "total_connections_received"));
      String serverInfo = cli(sock, "INFO", "server").out();
      assertEquals(Integer.toString(server.port()), InfoFields.get(serverInfo, "tcp_port"));
      assertEquals(sock.toString(), cli(sock, "CONFIG", "GET", "unixsocket").out().lines().toList().get(1));
    }
  }

  /** The status page, its JSON and /metrics of a node with a socket: as of any node, the TCP port in them. */
  @Test
  void statusAndMetricsOfANodeWithASocket() {
    try (TestNode n = Http.node("--unixsocket", sock.toString(), "--port", Integer.toString(FreePort.get()))) {
      assertEquals("OK", cli(sock, "SET", "k", "v").out());
      assertEquals(200, Http.get(n.httpPort(), "/health").statusCode());
      assertEquals(200, Http.get(n.httpPort(), "/").statusCode());
      JsonObject status = Http.status(n.httpPort());
      assertEquals(n.port(), status.getInteger("port"), status.encodePrettily());
      String metrics = Http.get(n.httpPort(), "/metrics").body();
      assertTrue(metrics.contains("\nredis_up 1.0\n"), metrics);
      assertTrue(metrics.contains("tcp_port=\"" + n.port() + "\""), metrics);
      assertTrue(metrics.contains("\nredis_db_keys{db=\"db0\"} 1.0\n"), metrics);
    }
  }

  /** The fat jar as a user starts it: Netty's native library loads from inside it, and Redis's log lines. */
  @Test
  void jarServesTheSocketOnTheNativeTransport() {
    try (VireoJar jar = VireoJar.start(Map.of(), "--unixsocket", sock.toString())) {
      String out = jar.awaitOutput(Pattern.compile("The server is now ready to accept connections at "
          + Pattern.quote(sock.toString())));
      assertTrue(out.contains("Ready to accept connections"), out);
      assertFalse(out.contains("native epoll transport is not available"), out);
      assertEquals("PONG", cli(sock, "PING").out());
      assertEquals(0, jar.shutdown());
      assertTrue(jar.output().contains("Removing the unix socket file."), jar.output());
      assertFalse(Files.exists(sock));
    }
  }

  /** As Redis: with {@code port 0}, a node with a socket listens on it alone. */
  @Test
  void portZeroMeansTheSocketOnly() {
    try (VireoJar jar = VireoJar.launch(Map.of(), "--port", "0", "--unixsocket", sock.toString())) {
      String out = jar.awaitOutput(Pattern.compile("The server is now ready to accept connections at "));
      assertFalse(out.contains("Ready to accept connections"), out);
      assertEquals("port\n0", cli(sock, "CONFIG", "GET", "port").out());
      assertEquals("0", InfoFields.get(cli(sock, "INFO", "server").out(), "tcp_port"));
      cli(sock, "SHUTDOWN", "NOSAVE");
      assertEquals(0, jar.awaitExit());
      assertFalse(Files.exists(sock));
    }
  }

  /**
   * Where Netty's native library cannot load (here it is switched off, as on a machine it was not built for), the
   * JDK's own domain sockets serve the file, with a warning; TCP-only nodes do not notice at all.
   */
  @Test
  void withoutTheNativeTransport() {
    Map<String, String> noNative = Map.of("JAVA_TOOL_OPTIONS", "-Dio.netty.transport.noNative=true");
    try (VireoJar jar = VireoJar.start(noNative, "--unixsocket", sock.toString())) {
      String out = jar.awaitOutput(Pattern.compile("The server is now ready to accept connections at "));
      assertTrue(out.contains("Netty's native epoll transport is not available"), out);
      assertEquals("PONG", cli(sock, "PING").out());
      assertEquals("OK", cli(sock, "SET", "k", "v").out());
      assertEquals("v", cli(sock, "GET", "k").out());
      Map<String, String> info = fields(cli(sock, "CLIENT", "INFO").out());
      assertEquals(List.of(sock + ":0", "U"), List.of(info.get("addr"), info.get("flags")));
      assertEquals(0, jar.shutdown());
      assertFalse(Files.exists(sock));
    }
    try (VireoJar jar = VireoJar.start(noNative); RespClient c = jar.client()) {
      assertEquals("+PONG\r\n", c.call("PING"));
      assertFalse(jar.output().contains("native epoll transport is not available"), jar.output());
    }
  }

  /** A socket that cannot be opened stops the node with Redis's reason, exit status 1, as redis-server. */
  @Test
  void unusableSocketPathStopsTheNode() {
    Path bad = dir.resolve("missing").resolve("s.sock");
    try (VireoJar jar = VireoJar.launch(Map.of(), "--unixsocket", bad.toString())) {
      assertEquals(1, jar.awaitExit());
      assertTrue(jar.output().contains("Failed opening Unix socket: "), jar.output());
    }
    Cli.Result redis = Cli.exec(List.of(ExternalTool.require("redis-server").toString(), "--port", "0",
        "--unixsocket", bad.toString(), "--save", ""), null, RUN);
    assertEquals(1, redis.exitCode());
    assertTrue(redis.stdout().contains("Failed opening Unix socket: "), redis.stdout());
  }

  /** A replica that connects over the socket ({@code redis-cli --replica}) is named {@code /unixsocket}, as in Redis. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void aReplicaOnTheSocketIsNamedAsRedisNamesIt(String kind) throws Exception {
    try (AnyServer s = start(kind); RespClient c = s.client()) {
      Process replica = new ProcessBuilder(ExternalTool.require("redis-cli").toString(), "-s", sock.toString(),
          "--replica").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try {
        Poll.until(RUN, "the replica attached", () -> InfoFields.get(c.call("INFO", "replication"), "slave0") != null);
        String slave = InfoFields.get(c.call("INFO", "replication"), "slave0");
        assertTrue(slave.startsWith("ip=/unixsocket,port="), slave);
      } finally {
        replica.destroy();
        replica.waitFor();
      }
    }
  }
}
