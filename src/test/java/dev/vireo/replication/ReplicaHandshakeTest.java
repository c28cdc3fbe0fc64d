package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.RespLines;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handshake against a byte-scripted master: an error reply to PING (the link is retried), keepalives before
 * {@code +FULLRESYNC} and before the payload, an RDB in the {@code $EOF:} form, then the stream and GETACK.
 */
@Timeout(60)
class ReplicaHandshakeTest {
  private static final String REPLID = "0123456789abcdef0123456789abcdef01234567";
  private static final String MARK = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponm";

  /** A REDIS0009 file with one string key {@code k} = {@code v} in db 0 and a zero (unchecked) CRC. */
  private static byte[] rdb() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("REDIS0009".getBytes(StandardCharsets.US_ASCII));
    b.write(0xFE);
    b.write(0);
    b.write(0); // string
    b.write(1);
    b.write('k');
    b.write(1);
    b.write('v');
    b.write(0xFF);
    b.writeBytes(new byte[8]);
    return b.toByteArray();
  }

  @Test
  void scriptedMaster() throws Exception {
    try (ServerSocket master = new ServerSocket(0);
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      master.setSoTimeout(15_000);
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      node.vertx().eventBus().<JsonObject>consumer(Addresses.REPLICATION_STATE, m -> events.add(m.body()));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.getLocalPort())));

      // first attempt: PING refused, the replica closes and retries
      try (Socket s = master.accept()) {
        s.setSoTimeout(15_000);
        assertEquals(List.of("PING"), RespLines.readCommand(s.getInputStream()));
        s.getOutputStream().write("-ERR not today\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, s.getInputStream().read());
      }
      Poll.until(Poll.WAIT, "the PING error event", () -> events.stream()
          .anyMatch(e -> e.getString("error", "").contains("Error reply to PING from master: '-ERR not today'")));

      try (Socket s = master.accept()) {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        assertEquals(List.of("PING"), RespLines.readCommand(in));
        out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("REPLCONF", "listening-port", Integer.toString(node.port())), RespLines.readCommand(in));
        assertEquals(List.of("REPLCONF", "capa", "eof", "capa", "psync2"), RespLines.readCommand(in));
        out.write("+OK\r\n-ERR unknown option\r\n".getBytes(StandardCharsets.US_ASCII));
        List<String> psync = RespLines.readCommand(in);
        assertEquals("PSYNC", psync.get(0));
        assertEquals(3, psync.size());
        out.write(("\n\n+FULLRESYNC " + REPLID + " 100\r\n\n$EOF:" + MARK + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] file = rdb();
        out.write(file, 0, 5); // the payload in pieces
        out.flush();
        Thread.sleep(50);
        out.write(file, 5, file.length - 5);
        out.write(MARK.getBytes(StandardCharsets.US_ASCII), 0, 10);
        out.flush();
        Thread.sleep(50);
        out.write(MARK.getBytes(StandardCharsets.US_ASCII), 10, 30);
        out.flush();
        assertEquals(List.of("REPLCONF", "ACK", "100"), RespLines.readCommand(in));

        String set = RespLines.command("SET", "a", "b");
        String getack = RespLines.command("REPLCONF", "GETACK", "*");
        out.write((RespLines.command("PING") + set + getack).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long expected = 100 + RespLines.command("PING").length() + set.length();
        List<String> ack;
        do {
          ack = RespLines.readCommand(in);
          assertEquals("ACK", ack.get(1));
        } while (ack.get(2).equals("100"));
        assertEquals(Long.toString(expected), ack.get(2));

        assertEquals("$1\r\nv\r\n", r.call("GET", "k"));
        assertEquals("$1\r\nb\r\n", r.call("GET", "a"));
        String info = r.call("INFO", "replication");
        assertEquals("up", InfoFields.get(info, "master_link_status"), info);
        assertEquals(REPLID, InfoFields.get(info, "master_replid"));
        assertEquals(Long.toString(expected + getack.length()), InfoFields.get(info, "slave_repl_offset"));
        assertTrue(events.stream().anyMatch(e -> e.getString("state").equals("CONNECTED")), events.toString());
        assertTrue(events.get(events.size() - 1).getInteger("attempt") >= 2, events.toString());
      }
    }
  }
}
