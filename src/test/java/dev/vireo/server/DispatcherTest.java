package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.command.Commands;
import dev.vireo.command.Node;
import dev.vireo.config.ServerConfig;
import dev.vireo.resp.Args;
import dev.vireo.resp.ProtocolException;
import dev.vireo.resp.RespReader;
import dev.vireo.util.Log;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on its own: no socket, no event loop. Scripted bytes are cut into random pieces, parsed as a
 * connection parses them, and run through the real command table; the replies are the exact bytes a client would
 * read, and what the dispatcher hands to propagation is recorded. The expected replies were recorded from a real
 * redis-server 7.0.15 with the same bytes.
 */
class DispatcherTest {
  /** A master with a replica attached, as the dispatcher sees it: every write it hands on. */
  private static final class Recording implements Propagation {
    final List<String> fed = new ArrayList<>();
    boolean enough = true;

    @Override
    public boolean feeding() {
      return true;
    }

    @Override
    public void propagate(int db, byte[][] argv) {
      fed.add(db + " " + Arrays.stream(argv).map(b -> new String(b, StandardCharsets.UTF_8))
          .collect(Collectors.joining(" ")));
    }

    @Override
    public void flushStream() {}

    @Override
    public boolean enoughGoodReplicas() {
      return enough;
    }

    @Override
    public void clientClosed(Client c) {}
  }

  /** A replica whose link is up: {@link ReplicaRole#NONE} but for those two answers. */
  private static final ReplicaRole FOLLOWING = (ReplicaRole) Proxy.newProxyInstance(
      ReplicaRole.class.getClassLoader(), new Class<?>[] {ReplicaRole.class}, (proxy, method, args) ->
          switch (method.getName()) {
            case "isReplica", "linkUp" -> true;
            default -> method.invoke(ReplicaRole.NONE, args);
          });

  private final Server server = newServer();
  private final Client client = new Client(1, server, null);

  private static Server newServer() {
    CommandTable table = new CommandTable();
    Log log = new Log();
    log.output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Server s = new Server(ServerConfig.defaults(), log, table);
    Commands.register(table, new Node(s, null, null, null, null));
    return s;
  }

  private static byte[] encode(String... words) {
    StringBuilder sb = new StringBuilder("*").append(words.length).append("\r\n");
    for (String w : words) sb.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
        .append(w).append("\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Feeds the commands' bytes in random pieces and runs each complete command; returns the replies' bytes. */
  private String run(long seed, String[]... commands) throws ProtocolException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String[] c : commands) all.writeBytes(encode(c));
    byte[] bytes = all.toByteArray();
    Random random = new Random(seed);
    RespReader reader = new RespReader();
    Args args = new Args();
    StringBuilder replies = new StringBuilder();
    for (int at = 0; at < bytes.length; ) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(12));
      reader.feed(Buffer.buffer(Arrays.copyOfRange(bytes, at, at + n)));
      at += n;
      while (reader.next(args)) server.dispatcher.execute(client, args);
      if (!client.out.isEmpty()) replies.append(client.out.take().toString(StandardCharsets.UTF_8));
    }
    return replies.toString();
  }

  @Test
  void repliesAsRedisWhateverTheCuts() throws Exception {
    for (long seed = 1; seed <= 20; seed++) {
      server.keyspace().flushAll();
      String replies = run(seed,
          new String[] {"SET", "k", "v"}, new String[] {"GET", "k"}, new String[] {"INCR", "k"},
          new String[] {"FOO", "a", "b"}, new String[] {"GET"},
          new String[] {"MULTI"}, new String[] {"SET", "a", "1"}, new String[] {"INCR", "a"},
          new String[] {"GETX"}, new String[] {"EXEC"},
          new String[] {"MULTI"}, new String[] {"SET", "a", "1"}, new String[] {"INCR", "a"},
          new String[] {"EXEC"}, new String[] {"GET", "a"});
      assertEquals("+OK\r\n$1\r\nv\r\n-ERR value is not an integer or out of range\r\n"
          + "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n"
          + "-ERR wrong number of arguments for 'get' command\r\n"
          + "+OK\r\n+QUEUED\r\n+QUEUED\r\n-ERR unknown command 'GETX', with args beginning with: \r\n"
          + "-EXECABORT Transaction discarded because of previous errors.\r\n"
          + "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n:2\r\n$1\r\n2\r\n", replies, "seed " + seed);
    }
  }

  @Test
  void handsOnWhatChangedOnlyAndWrapsSeveralInMultiExec() throws Exception {
    Recording out = new Recording();
    server.install(Snapshots.NONE, ReplicaRole.NONE, out);
    run(7, new String[] {"SET", "k", "v"}, new String[] {"GET", "k"}, new String[] {"INCR", "n"},
        new String[] {"DEL", "nothing"}, new String[] {"SELECT", "2"}, new String[] {"SET", "x", "1"},
        new String[] {"MULTI"}, new String[] {"SET", "a", "1"}, new String[] {"GET", "a"},
        new String[] {"INCR", "a"}, new String[] {"EXEC"}, new String[] {"SET", "bad", "v", "XX", "NX"});
    assertEquals(List.of("0 SET k v", "0 INCR n", "2 SET x 1", "2 MULTI", "2 SET a 1", "2 INCR a", "-1 EXEC"),
        out.fed);
  }

  @Test
  void aReplicaRefusesWritesAndAMasterWithoutEnoughReplicasToo() throws Exception {
    server.install(Snapshots.NONE, FOLLOWING, Propagation.NONE);
    assertEquals("-READONLY You can't write against a read only replica.\r\n$-1\r\n",
        run(3, new String[] {"SET", "x", "1"}, new String[] {"GET", "x"}));
    Recording out = new Recording();
    out.enough = false;
    server.install(Snapshots.NONE, ReplicaRole.NONE, out);
    assertEquals("-NOREPLICAS Not enough good replicas to write.\r\n$-1\r\n",
        run(4, new String[] {"SET", "x", "1"}, new String[] {"GET", "x"}));
    assertEquals(List.of(), out.fed);
  }
}
