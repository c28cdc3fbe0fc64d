package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code repl-diskless-load swapdb}: during a full resync the replica keeps serving its old dataset, complete,
 * and swaps in the new one in a single step once it is loaded: no -LOADING, no half dataset in between.
 */
@Timeout(120)
class ReplicaSwapdbIT {
  @Test
  void oldDataIsServedWholeUntilTheNewDatasetIsSwappedIn() throws Exception {
    try (RedisServerProcess master = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode n = TestNode.start("--repl-diskless-load", "swapdb");
        RespClient r = n.client()) {
      try (RespClient m = master.client()) {
        assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", "300000", "key", "20"));
      }
      r.call("SET", "old", "data");
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Set<String> allowedSizes = Set.of(":1\r\n", ":300000\r\n");
      boolean swapped = false;
      int polls = 0;
      boolean sawAsyncLoading = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        String size = r.call("DBSIZE");
        String old = r.call("GET", "old");
        polls++;
        assertTrue(allowedSizes.contains(size), "a partial dataset was served: DBSIZE " + size);
        if (!swapped && r.call("INFO", "persistence").contains("async_loading:1\r\n")) sawAsyncLoading = true;
        if (!swapped) {
          if (old.equals("$-1\r\n")) swapped = true;
          else assertEquals("$4\r\ndata\r\n", old, "the old dataset stays whole while the new one loads");
        } else {
          assertEquals("$-1\r\n", old, "the new dataset does not go back");
        }
        if (swapped && r.call("INFO", "replication").contains("master_link_status:up\r\n")) break;
      }
      assertTrue(swapped, "the new dataset was never swapped in");
      assertTrue(polls > 1);
      assertTrue(sawAsyncLoading, "INFO persistence showed async_loading:1 while the old dataset was served");
      assertTrue(r.call("INFO", "persistence").contains("async_loading:0\r\n"));
      assertEquals(":300000\r\n", r.call("DBSIZE"));
      try (RespClient m = master.client()) {
        assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
      }
    }
  }
}
