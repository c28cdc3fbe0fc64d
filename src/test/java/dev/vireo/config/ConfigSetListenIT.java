package dev.vireo.config;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.Transcripts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CONFIG SET port and bind at run time, side by side with a real redis-server: the replies (errors for a port in
 * use and for an address the host lacks, the whole CONFIG SET undone), the client that asked staying connected
 * through each change, the new port or addresses answering and the old port refusing, and port 0 turning TCP off
 * until a connected client sets a port again.
 */
class ConfigSetListenIT {
  /** An address no interface of a test machine has (TEST-NET-1). */
  private static final String ABSENT = "192.0.2.1";

  @Test
  void portAndBindChangeAsInRedis() throws IOException {
    Transcripts.assertSame(run("redis"), run("vireo"));
  }

  private static List<String> run(String kind) throws IOException {
    List<String> t = new ArrayList<>();
    try (AnyServer s = AnyServer.start(kind); RespClient c = s.client();
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String inUse = Integer.toString(taken.getLocalPort());
      t.add("port in use: " + c.call("CONFIG", "SET", "port", inUse));
      t.add("undone with it: " + c.call("CONFIG", "SET", "maxmemory", "10mb", "port", inUse) + " "
          + c.call("CONFIG", "GET", "maxmemory"));
      t.add("absent address: " + c.call("CONFIG", "SET", "bind", ABSENT) + " " + c.call("CONFIG", "GET", "bind"));

      int first = s.port();
      int second = FreePort.get();
      t.add("new port: " + c.call("CONFIG", "SET", "port", Integer.toString(second)));
      t.add("asker still connected: " + c.call("PING"));
      t.add("new port answers: " + answers(second));
      t.add("old port refuses: " + refuses(first));
      t.add("port shown: " + c.call("CONFIG", "GET", "port").replace(Integer.toString(second), "SECOND"));

      t.add("optional absent address: " + c.call("CONFIG", "SET", "bind", "127.0.0.1 -" + ABSENT) + " "
          + c.call("CONFIG", "GET", "bind"));
      t.add("asker still connected: " + c.call("PING"));
      t.add("rebound port answers: " + answers(second));
      t.add("all interfaces: " + c.call("CONFIG", "SET", "bind", "*") + " " + answers(second));

      t.add("port 0: " + c.call("CONFIG", "SET", "port", "0"));
      t.add("no TCP: " + refuses(second));
      int third = FreePort.get();
      t.add("asker sets a port again: " + c.call("CONFIG", "SET", "port", Integer.toString(third)) + " "
          + answers(third));
      // back where the harness stops it
      t.add("back: " + c.call("CONFIG", "SET", "port", Integer.toString(first)) + " " + answers(first));
    }
    return t;
  }

  private static String answers(int port) {
    Poll.until(Duration.ofSeconds(5), "port " + port + " answers", () -> {
      try (RespClient c = new RespClient(port)) {
        return c.call("PING").equals("+PONG\r\n");
      } catch (RuntimeException e) {
        return false;
      }
    });
    return "yes";
  }

  private static String refuses(int port) {
    Poll.until(Duration.ofSeconds(5), "port " + port + " refuses connections", () -> {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return false;
      } catch (IOException e) {
        return true;
      }
    });
    return "yes";
  }
}
