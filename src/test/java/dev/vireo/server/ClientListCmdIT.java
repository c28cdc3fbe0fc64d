package dev.vireo.server;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.Transcripts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CLIENT LIST's {@code cmd} is the command a client last sent, as Redis 7.0 looks it up: a refused command counts
 * (wrong arity, an unknown subcommand is NULL, as an unknown command is), a queued one counts, and after EXEC it is
 * {@code exec}, not the last command EXEC ran. The same script on a real redis-server and on Vireo.
 */
class ClientListCmdIT {
  private static final String[][] SCRIPT = {
    {"GET"}, {"NOPE"}, {"CLIENT", "NOPE"}, {"MULTI"}, {"SET", "a", "b"}, {"INCR", "a"}, {"EXEC"}, {"CONFIG"},
    {"CLIENT", "LIST", "ID", "0"}, {"EVAL", "return 1", "0"},
  };

  @Test
  void cmdIsTheCommandLookedUp() {
    List<List<String>> seen = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start(); TestNode vireo = TestNode.start()) {
      for (int port : new int[] {redis.port(), vireo.port()}) {
        List<String> transcript = new ArrayList<>();
        try (RespClient admin = new RespClient(port); RespClient c = new RespClient(port)) {
          c.call("CLIENT", "SETNAME", "t");
          for (String[] cmd : SCRIPT) {
            String reply = c.call(cmd);
            transcript.add(String.join(" ", cmd) + " -> " + reply.trim() + " / "
                + Transcripts.clientListFields(admin, "t", "cmd"));
          }
        }
        seen.add(transcript);
      }
    }
    Transcripts.assertSame(seen.get(0), seen.get(1));
  }
}
