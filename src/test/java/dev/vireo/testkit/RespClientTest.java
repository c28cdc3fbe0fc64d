package dev.vireo.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test kit's own client frames every RESP2/RESP3 reply exactly, however the bytes arrive. */
@Timeout(30)
class RespClientTest {
  /** A RESP3 map holding an array, a nested map, a set, a null and an attribute-annotated value. */
  private static final String NESTED = "%3\r\n"
      + "+a\r\n*2\r\n:1\r\n%1\r\n$1\r\nk\r\n~2\r\n_\r\n,1.5\r\n"
      + "+b\r\n|1\r\n+ttl\r\n:3\r\n:7\r\n"
      + "$4\r\nc\r\nd\r\n>2\r\n=9\r\ntxt:hello\r\n!5\r\nERR x\r\n";

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  @Test
  void framesEveryScalarTypeExactly() throws Exception {
    List<String> replies = List.of("+OK\r\n", "-ERR unknown command 'x'\r\n", ":-42\r\n", "$-1\r\n", "*-1\r\n",
        "$0\r\n\r\n", "*0\r\n", "_\r\n", ",3.14\r\n", ",-inf\r\n", "#t\r\n", "(3492890328409238509324850943850943825024385\r\n",
        "$5\r\nhe\r\no\r\n", "!21\r\nSYNTAX invalid syntax\r\n", "=15\r\ntxt:Some string\r\n", "%0\r\n", "~0\r\n");
    RespClient client = connect(canned(List.of(ascii(String.join("", replies)))));
    for (String expected : replies) {
      assertEquals(expected, client.readReply());
    }
  }

  @Test
  void framesNestedAggregatesAndAttributes() throws Exception {
    RespClient client = connect(canned(List.of(ascii(NESTED + "*2\r\n$1\r\na\r\n$1\r\nb\r\n+NEXT\r\n"))));
    assertEquals(NESTED, client.readReply());
    assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", client.readReply());
    assertEquals("+NEXT\r\n", client.readReply());
  }

  @Test
  void attributeIsReturnedWithTheReplyItAnnotates() throws Exception {
    String attributed = "|2\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n+x\r\n:1\r\n*1\r\n:2\r\n";
    RespClient client = connect(canned(List.of(ascii(attributed + "+OK\r\n"))));
    assertEquals(attributed, client.readReply());
    assertEquals("+OK\r\n", client.readReply());
  }

  @Test
  void framesRepliesWrittenOneByteAtATime() throws Exception {
    byte[] all = ascii(NESTED + ":1\r\n");
    List<byte[]> chunks = new ArrayList<>();
    for (byte b : all) {
      chunks.add(new byte[] {b});
    }
    RespClient client = connect(canned(chunks));
    assertEquals(NESTED, client.readReply());
    assertEquals(":1\r\n", client.readReply());
  }

  @Test
  void framesRepliesWrittenInRandomSplits() throws Exception {
    Random random = new Random(7);
    String stream = (NESTED + "$-1\r\n+PONG\r\n").repeat(20);
    byte[] all = ascii(stream);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < all.length; ) {
      int n = Math.min(all.length - i, 1 + random.nextInt(12));
      byte[] chunk = new byte[n];
      System.arraycopy(all, i, chunk, 0, n);
      chunks.add(chunk);
      i += n;
    }
    RespClient client = connect(canned(chunks));
    for (int i = 0; i < 20; i++) {
      assertEquals(NESTED, client.readReply());
      assertEquals("$-1\r\n", client.readReply());
      assertEquals("+PONG\r\n", client.readReply());
    }
  }

  @Test
  void readsBulkLargerThanItsBuffer() throws Exception {
    byte[] payload = new byte[300_000];
    new Random(1).nextBytes(payload);
    byte[] header = ascii("$" + payload.length + "\r\n");
    byte[] reply = new byte[header.length + payload.length + 2];
    System.arraycopy(header, 0, reply, 0, header.length);
    System.arraycopy(payload, 0, reply, header.length, payload.length);
    reply[reply.length - 2] = '\r';
    reply[reply.length - 1] = '\n';
    RespClient client = connect(canned(List.of(reply, ascii("+OK\r\n"))));
    assertArrayEquals(reply, client.readReplyBytes());
    assertEquals("+OK\r\n", client.readReply());
  }

  @Test
  void callSendsAnArrayOfBulkStrings() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    Server server = serve(socket -> {
      int length = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n..\r\n".length();
      received.complete(new String(readExactly(socket.getInputStream(), length), StandardCharsets.ISO_8859_1));
      write(socket, ascii("+OK\r\n"));
      socket.getInputStream().read();
    });
    RespClient client = connect(server);
    assertEquals("+OK\r\n", client.call("SET", "k", "é"));
    assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\u00c3\u00a9\r\n", received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void callBytesSendsBinaryArguments() throws Exception {
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    Server server = serve(socket -> {
      received.complete(readExactly(socket.getInputStream(), 21));
      write(socket, new byte[] {'$', '2', '\r', '\n', 0, (byte) 0xff, '\r', '\n'});
      socket.getInputStream().read();
    });
    RespClient client = connect(server);
    assertArrayEquals(new byte[] {'$', '2', '\r', '\n', 0, (byte) 0xff, '\r', '\n'},
        client.callBytes(ascii("GET"), new byte[] {0, (byte) 0xff}));
    assertArrayEquals(ascii("*2\r\n$3\r\nGET\r\n$2\r\n\u0000\u00ff\r\n"), received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void timeoutShowsTheBytesReceivedSoFar() throws Exception {
    Server server = serve(socket -> {
      write(socket, ascii("*2\r\n$5\r\nab"));
      socket.getInputStream().read(); // hold the connection open until the client gives up
    });
    RespClient client = connect(server).readTimeout(Duration.ofMillis(300));
    long start = System.nanoTime();
    UncheckedIOException e = assertThrows(UncheckedIOException.class, client::readReply);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "timeout bounded");
    assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
    assertTrue(e.getMessage().contains("\"*2\\r\\n$5\\r\\nab\""), e.getMessage());
  }

  @Test
  void peerCloseInTheMiddleOfAReplyIsReported() throws Exception {
    RespClient client = connect(canned(List.of(ascii("$10\r\nabc"))));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, client::readReply);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertTrue(e.getMessage().contains("$10\\r\\nabc"), e.getMessage());
  }

  @Test
  void malformedInputIsAnError() throws Exception {
    RespClient client = connect(canned(List.of(ascii("hello\r\n"))));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, client::readReply);
    assertTrue(e.getMessage().contains("unexpected RESP type byte"), e.getMessage());
  }

  @Test
  void detectsAClosedConnection() throws Exception {
    RespClient client = connect(canned(List.of(ascii("-ERR Protocol error: invalid multibulk length\r\n"))));
    assertTrue(client.isClosedByPeer(Duration.ofSeconds(5)));
  }

  @Test
  void detectsAnOpenConnection() throws Exception {
    Server server = serve(socket -> socket.getInputStream().read());
    RespClient client = connect(server);
    long start = System.nanoTime();
    assertFalse(client.isClosedByPeer(Duration.ofMillis(200)));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
  }

  @Test
  void freePortIsNeverADefaultPort() {
    for (int i = 0; i < 20; i++) {
      int port = FreePort.get();
      assertTrue(port > 0 && port != 6379 && port != 16379, "port " + port);
    }
  }

  // ------------------------------------------------------------------------------------------ canned server

  private interface Script {
    void run(Socket socket) throws Exception;
  }

  /** One-connection server running a script in its own thread. */
  private static final class Server implements AutoCloseable {
    final ServerSocket listener;
    final Thread thread;

    Server(Script script) throws IOException {
      listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        try (Socket socket = listener.accept()) {
          socket.setTcpNoDelay(true);
          script.run(socket);
        } catch (Exception ignored) {
          // the client side asserts
        }
      }, "canned-resp-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      listener.close();
      thread.join(5000);
    }
  }

  private Server serve(Script script) throws IOException {
    Server server = new Server(script);
    resources.add(server);
    return server;
  }

  /** Writes each chunk in its own TCP write (with a short pause so they arrive apart), then closes. */
  private Server canned(List<byte[]> chunks) throws IOException {
    return serve(socket -> {
      for (int i = 0; i < chunks.size(); i++) {
        write(socket, chunks.get(i));
        if (chunks.size() > 1 && i % 16 == 0) {
          Thread.sleep(1);
        }
      }
    });
  }

  private RespClient connect(Server server) {
    RespClient client = new RespClient(server.port());
    resources.add(0, client);
    return client;
  }

  private static void write(Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    return in.readNBytes(n);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
