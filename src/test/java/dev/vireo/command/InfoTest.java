package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** INFO: the sections Redis 7.0 prints, in its order and layout, and the counters tests can drive. */
class InfoTest {
  private static final List<String> DEFAULT_SECTIONS = List.of("Server", "Clients", "Memory", "Persistence",
      "Stats", "Replication", "CPU", "Modules", "Errorstats", "Cluster", "Keyspace");

  /** The INFO payload of a RESP2 bulk reply, checked for length and layout. */
  private static String payload(String reply) {
    assertTrue(reply.startsWith("$"), reply);
    int eol = reply.indexOf("\r\n");
    int len = Integer.parseInt(reply.substring(1, eol));
    assertEquals(reply.length(), eol + 2 + len + 2, "bulk length");
    return reply.substring(eol + 2, eol + 2 + len);
  }

  private static List<String> sections(String text) {
    List<String> s = new ArrayList<>();
    for (String line : text.split("\r\n")) {
      if (line.startsWith("# ")) {
        s.add(line.substring(2));
      }
    }
    return s;
  }

  private static Map<String, String> fields(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\r\n")) {
      int colon = line.indexOf(':');
      if (!line.startsWith("#") && colon > 0) {
        m.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return m;
  }

  @Test
  void defaultSectionsInOrder() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SET", "k", "v");
      String text = payload(r.call("INFO"));
      assertEquals(DEFAULT_SECTIONS, sections(text));
      assertEquals(DEFAULT_SECTIONS, sections(payload(r.call("INFO", "default"))));
      assertTrue(text.startsWith("# Server\r\nredis_version:7.0.15\r\n"), text);
      assertTrue(text.endsWith("\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"), text);
      assertTrue(!text.contains("\n\n") && !text.contains("\r\n\r\n\r\n"), text);
      for (String line : text.split("\r\n")) {
        assertTrue(line.isEmpty() || line.startsWith("# ") || line.matches("[a-z0-9_|.-]+:.*"), line);
      }
    }
  }

  @Test
  void selectedSections() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      String two = payload(r.call("INFO", "server", "clients"));
      assertEquals(List.of("Server", "Clients"), sections(two));
      assertEquals(List.of("Server", "Clients"), sections(payload(r.call("INFO", "CLIENTS", "Server"))));
      assertEquals("$0\r\n\r\n", r.call("INFO", "nosuch"));
      assertEquals(List.of("Server", "Keyspace"), sections(payload(r.call("INFO", "keyspace", "server"))));
      List<String> withStats = new ArrayList<>(DEFAULT_SECTIONS);
      withStats.add(withStats.indexOf("Errorstats"), "Commandstats");
      assertEquals(withStats, sections(payload(r.call("INFO", "default", "commandstats"))));
      String clients = payload(r.call("INFO", "clients"));
      assertTrue(clients.startsWith("# Clients\r\nconnected_clients:1\r\ncluster_connections:0\r\nmaxclients:10000\r\n"
          + "client_recent_max_input_buffer:"), clients);
      assertTrue(clients.endsWith("\r\nblocked_clients:0\r\ntracking_clients:0\r\nclients_in_timeout_table:0\r\n"),
          clients);
      assertEquals("# Cluster\r\ncluster_enabled:0\r\n", payload(r.call("INFO", "cluster")));
      assertEquals("# Modules\r\n", payload(r.call("INFO", "modules")));
    }
  }

  @Test
  void everythingAndAll() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("PING");
      List<String> everything = sections(payload(r.call("INFO", "everything")));
      assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
          "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"), everything);
      List<String> all = sections(payload(r.call("INFO", "all")));
      assertTrue(all.contains("Commandstats") && all.contains("Keyspace"), all.toString());
      String lat = payload(r.call("INFO", "latencystats"));
      assertTrue(lat.startsWith("# Latencystats\r\nlatency_percentiles_usec_"), lat);
      assertTrue(lat.matches("(?s).*latency_percentiles_usec_ping:p50=[0-9.]+,p99=[0-9.]+,p99\\.9=[0-9.]+\r\n.*"),
          lat);
    }
  }

  @Test
  void redisFieldsArePresent() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      Map<String, String> f = fields(payload(r.call("INFO", "everything")));
      for (String name : List.of("redis_version", "redis_mode", "os", "arch_bits", "process_id", "run_id",
          "tcp_port", "uptime_in_seconds", "uptime_in_days", "hz", "configured_hz", "executable", "config_file",
          "connected_clients", "maxclients", "blocked_clients", "used_memory", "used_memory_human",
          "used_memory_rss", "used_memory_peak", "maxmemory", "maxmemory_human", "maxmemory_policy",
          "mem_fragmentation_ratio", "used_memory_overhead", "used_memory_dataset_perc", "allocator_allocated",
          "used_memory_lua", "mem_fragmentation_bytes", "mem_clients_normal", "active_defrag_running", "loading", "rdb_changes_since_last_save", "rdb_bgsave_in_progress",
          "rdb_last_save_time", "aof_enabled", "total_connections_received", "total_commands_processed",
          "instantaneous_ops_per_sec", "total_net_input_bytes", "total_net_output_bytes", "rejected_connections",
          "expired_keys", "evicted_keys", "keyspace_hits", "keyspace_misses", "total_error_replies",
          "total_reads_processed", "total_writes_processed", "role", "connected_slaves", "master_replid",
          "master_repl_offset", "used_cpu_sys", "used_cpu_user", "cluster_enabled")) {
        assertTrue(f.containsKey(name), "field " + name);
      }
      assertEquals("7.0.15", f.get("redis_version"));
      assertEquals("standalone", f.get("redis_mode"));
      assertEquals(String.valueOf(n.port()), f.get("tcp_port"));
      assertEquals("master", f.get("role"));
      assertEquals("noeviction", f.get("maxmemory_policy"));
      assertTrue(f.get("run_id").matches("[0-9a-f]{40}"), f.get("run_id"));
      assertTrue(f.get("master_replid").matches("[0-9a-f]{40}"), f.get("master_replid"));
    }
  }

  @Test
  void countersFollowCommands() throws Exception {
    try (TestNode n = TestNode.start(); RespClient r = n.client(); RespClient other = n.client()) {
      other.call("PING");
      assertEquals("2", fields(payload(r.call("INFO", "clients"))).get("connected_clients"));
      r.call("SET", "a", "b");
      r.call("GET", "a");
      r.call("GET", "a");
      r.call("GET", "zzz");
      r.call("SET", "gone", "x", "PX", "1");
      r.call("SET", "ttl", "x", "EX", "1000");
      Thread.sleep(20);
      assertEquals("$-1\r\n", r.call("GET", "gone"));
      Map<String, String> stats = fields(payload(r.call("INFO", "stats")));
      assertEquals("2", stats.get("keyspace_hits"));
      assertEquals("2", stats.get("keyspace_misses"));
      assertEquals("1", stats.get("expired_keys"));
      String keyspace = payload(r.call("INFO", "keyspace"));
      assertTrue(keyspace.matches("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\\d+\r\n"), keyspace);
      r.call("SELECT", "3");
      r.call("SET", "k3", "v");
      keyspace = payload(r.call("INFO", "keyspace"));
      assertTrue(keyspace.endsWith("\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n"), keyspace);
    }
  }

  @Test
  void commandAndErrorStats() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals("-ERR wrong number of arguments for 'get' command\r\n", r.call("GET"));
      r.call("SET", "a", "b");
      r.call("GET", "a");
      r.call("GET", "zzz");
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("INCR", "a"));
      r.call("NOSUCHCOMMAND");
      String cmd = payload(r.call("INFO", "commandstats"));
      assertTrue(cmd.startsWith("# Commandstats\r\n"), cmd);
      assertTrue(cmd.matches("(?s).*\r\ncmdstat_get:calls=2,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=1,"
          + "failed_calls=0\r\n.*"), cmd);
      assertTrue(cmd.matches("(?s).*\r\ncmdstat_incr:calls=1,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,"
          + "failed_calls=1\r\n.*"), cmd);
      assertTrue(cmd.contains("\r\ncmdstat_set:calls=1,"), cmd);
      assertEquals("# Errorstats\r\nerrorstat_ERR:count=3\r\n", payload(r.call("INFO", "errorstats")));
      assertEquals("3", fields(payload(r.call("INFO", "stats"))).get("total_error_replies"));
      r.call("CLIENT", "LIST");
      assertTrue(payload(r.call("INFO", "commandstats")).contains("\r\ncmdstat_client|list:calls=1,"));
      r.call("HELLO", "3");
      String resp3 = r.call("INFO", "errorstats");
      assertEquals("=41\r\ntxt:# Errorstats\r\nerrorstat_ERR:count=3\r\n\r\n", resp3);
    }
  }
}
