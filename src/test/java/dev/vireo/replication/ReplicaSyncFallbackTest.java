package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.persistence.rdb.RdbOptions;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.persistence.rdb.RdbWriter;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.RespLines;
import dev.vireo.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A master that does not know PSYNC: the replica falls back to {@code SYNC}, loads the {@code $<len>} payload,
 * applies the stream from offset 0 under a fresh replication id, and sends no {@code REPLCONF ACK}.
 */
@Timeout(60)
class ReplicaSyncFallbackTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] rdb() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter w = new RdbWriter(out, RdbOptions.defaults()).header();
    w.standardAux(System.currentTimeMillis() / 1000, 1 << 20, 0, null, 0, false);
    w.selectDb(0);
    w.resizeDb(3, 0);
    w.key(b("str"), new RdbValue.Str(b("hello")), -1);
    w.key(b("list"), new RdbValue.ListVal(List.of(b("a"), b("b"), b("c"))), -1);
    w.key(b("hash"), new RdbValue.HashVal(List.of(new RdbValue.Field(b("f"), b("v")))), -1);
    w.selectDb(2);
    w.resizeDb(1, 0);
    w.key(b("set"), new RdbValue.SetVal(List.of(b("1"), b("2"))), -1);
    w.finish();
    return out.toByteArray();
  }

  @Test
  void psyncErrorFallsBackToSync() throws Exception {
    try (ServerSocket master = new ServerSocket(0);
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      master.setSoTimeout(15_000);
      String idBefore = InfoFields.get(r.call("INFO", "replication"), "master_replid");
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.getLocalPort())));
      try (Socket s = master.accept()) {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        assertEquals(List.of("PING"), RespLines.readCommand(in));
        out.write(b("+PONG\r\n"));
        assertEquals("REPLCONF", RespLines.readCommand(in).get(0));
        assertEquals("REPLCONF", RespLines.readCommand(in).get(0));
        out.write(b("+OK\r\n+OK\r\n"));
        assertEquals("PSYNC", RespLines.readCommand(in).get(0));
        out.write(b("-ERR unknown command 'PSYNC'\r\n"));
        assertEquals(List.of("SYNC"), RespLines.readCommand(in));
        byte[] file = rdb();
        out.write(b("\n$" + file.length + "\r\n"));
        out.write(file);
        byte[] set = RespClient.encodeCommand("SET", "streamed", "yes");
        out.write(set);
        out.flush();

        Poll.equal(Poll.WAIT, "the streamed SET", "$3\r\nyes\r\n", () -> r.call("GET", "streamed"));
        assertEquals("$5\r\nhello\r\n", r.call("GET", "str"));
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", r.call("LRANGE", "list", "0", "-1"));
        assertEquals("$1\r\nv\r\n", r.call("HGET", "hash", "f"));
        r.call("SELECT", "2");
        assertEquals(":2\r\n", r.call("SCARD", "set"));

        String info = r.call("INFO", "replication");
        assertEquals("up", InfoFields.get(info, "master_link_status"), info);
        assertEquals(Integer.toString(set.length), InfoFields.get(info, "slave_repl_offset"), info);
        String id = InfoFields.get(info, "master_replid");
        assertEquals(40, id.length());
        assertNotEquals(idBefore, id);

        // an old master would answer REPLCONF ACK with an error: none is sent
        s.setSoTimeout(1500);
        assertThrows(SocketTimeoutException.class, () -> in.read());
      }
    }
  }
}
