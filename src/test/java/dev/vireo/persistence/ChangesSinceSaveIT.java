package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What counts as a change to save ({@code rdb_changes_since_last_save}) and as a save ({@code rdb_saves}), on a
 * redis-server and on Vireo with the same expectations, first seen on Redis 7.0.15: DEBUG POPULATE is no change,
 * FLUSHALL and FLUSHDB count the keys they remove (nothing when empty), and with save rules configured FLUSHALL
 * saves the emptied dataset at once, without counting it in {@code rdb_saves}.
 */
class ChangesSinceSaveIT {
  private static String counters(RespClient c) {
    String info = c.call("INFO", "persistence");
    return InfoFields.get(info, "rdb_changes_since_last_save") + "/" + InfoFields.get(info, "rdb_saves");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void changesAndSavesAreCountedAsRedisCountsThem(String kind, @TempDir Path dir) {
    try (AnyServer s = AnyServer.start(kind, "--enable-debug-command", "yes", "--save", "", "--dir",
            dir.toString());
        RespClient c = s.client()) {
      List<String> seen = new ArrayList<>();
      String[][] steps = {
          {"DEBUG", "POPULATE", "10"}, {"SET", "a", "1"}, {"FLUSHALL"}, {"FLUSHALL"}, {"SET", "a", "1"},
          {"FLUSHDB"}, {"SAVE"}, {"SET", "a", "2"}, {"CONFIG", "SET", "save", "3600 1"}, {"SET", "b", "1"},
          {"FLUSHALL"}, {"SET", "c", "1"}};
      for (String[] step : steps) {
        c.call(step);
        seen.add(String.join(" ", step) + " -> " + counters(c));
      }
      assertEquals(List.of(
          "DEBUG POPULATE 10 -> 0/0",
          "SET a 1 -> 1/0",
          "FLUSHALL -> 12/0",
          "FLUSHALL -> 12/0",
          "SET a 1 -> 13/0",
          "FLUSHDB -> 14/0",
          "SAVE -> 0/1",
          "SET a 2 -> 1/1",
          "CONFIG SET save 3600 1 -> 1/1",
          "SET b 1 -> 2/1",
          "FLUSHALL -> 0/1",
          "SET c 1 -> 1/1"), seen);
      assertEquals(true, Files.exists(dir.resolve("dump.rdb")));
    }
  }
}
