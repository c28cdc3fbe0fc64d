package dev.vireo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The names CONFIG GET answers with, compared with a real redis-server: an exact name under the very name asked
 * (an alias such as {@code slaveof}, or in capitals), a pattern with every name and alias it matches. Redis lists
 * them in its dictionary's order, so they are compared as maps.
 */
class ConfigGetNamesIT {
  private static final List<List<String>> QUERIES = List.of(
      List.of("slaveof"), List.of("Slaveof"), List.of("MAXMEMORY"), List.of("slave-read-only"),
      List.of("*slave-read*"), List.of("replica-read*"), List.of("min-*"), List.of("slaveof", "replicaof"),
      List.of("hash-max-*"), List.of("lua-time-limit", "busy-reply-threshold"), List.of("slave*"),
      List.of("nope"), List.of("port", "PORT"));

  /** A flat CONFIG GET reply (RESP2: name, value, name, value...) as a sorted map. */
  private static Map<String, String> pairs(String reply) {
    List<String> items = new ArrayList<>();
    int at = reply.indexOf("\r\n") + 2; // past *2n
    while (at < reply.length()) {
      int eol = reply.indexOf("\r\n", at);
      int len = Integer.parseInt(reply.substring(at + 1, eol));
      items.add(reply.substring(eol + 2, eol + 2 + len));
      at = eol + 2 + len + 2;
    }
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i + 1 < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
    return m;
  }

  @Test
  void namesAreAnsweredAsRedisAnswersThem() {
    try (AnyServer redis = AnyServer.redis();
        AnyServer vireo = AnyServer.node();
        RespClient r = redis.client();
        RespClient v = vireo.client()) {
      for (List<String> q : QUERIES) {
        String[] command = new String[q.size() + 2];
        command[0] = "CONFIG";
        command[1] = "GET";
        for (int i = 0; i < q.size(); i++) command[i + 2] = q.get(i);
        Map<String, String> expected = pairs(r.call(command));
        Map<String, String> actual = pairs(v.call(command));
        if (q.contains("port") || q.contains("PORT")) {
          expected.replaceAll((k, x) -> "p");
          actual.replaceAll((k, x) -> "p");
        }
        assertEquals(expected, actual, "CONFIG GET " + String.join(" ", q));
      }
    }
  }
}
