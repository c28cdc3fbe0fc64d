package dev.vireo.replication.propagation;

import dev.vireo.replication.propagation.PropagationStreamIT.Case;
import dev.vireo.replication.propagation.PropagationStreamIT.Master;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.TestNode;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a master sends its replicas for geo commands, compared with what a real redis-server 7.0 master sends for the
 * same script: GEOADD as the {@code zadd} of the positions' scores (only when it changed the set), GEOSEARCHSTORE and
 * GEORADIUS / GEORADIUSBYMEMBER with STORE or STOREDIST as written (also when an empty result deletes the
 * destination), the searches that only read not at all; inside MULTI/EXEC and EVAL too.
 */
class GeoPropagationIT {
  private static final String ADD = "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania "
      + "-0.1276 51.5072 London 180 85.05112878 top -180 -85.05112878 bottom";

  private static Case lines(String name, String... lines) {
    return new Case(name, false, s -> s.runAll(lines));
  }

  static List<Case> cases() {
    return List.of(
        lines("geoadd", ADD, "geoadd g NX CH 13.361389 38.115556 Palermo 1 1 x", "GEOADD g XX ch 2 2 x 3 3 y",
            "GEOADD g 13.361389 38.115556 Palermo", "GEOADD g xx 5 5 nobody", "GEOADD g 200 1 bad",
            "GEOADD g nan 1 bad", "SET str v", "GEOADD str 1 1 m", "GEOADD g ch ch ch", "GEOADD new 0 0 origin",
            "GEOADD g CH 0.0001 0.0001 x 0 0 Palermo"),
        lines("geosearchstore", ADD, "GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 200 km",
            "GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST",
            "geosearchstore d g frommember Palermo bybox 1 1 m asc count 1",
            "GEOSEARCHSTORE d g FROMMEMBER London BYRADIUS 3000 km DESC COUNT 2 ANY",
            "GEOSEARCHSTORE d g FROMLONLAT 0 0 BYRADIUS 1 m", "GEOSEARCHSTORE d g FROMLONLAT 0 0 BYRADIUS 1 m",
            "GEOSEARCHSTORE d2 nokey FROMLONLAT 0 0 BYRADIUS 1 m", "SET d3 x EX 100",
            "GEOSEARCHSTORE d3 nokey FROMMEMBER nobody BYBOX 1 1 km",
            "GEOSEARCHSTORE d4 g FROMMEMBER nobody BYBOX 1 1 km",
            "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km", "SELECT 3", ADD,
            "GEOSEARCHSTORE d g FROMLONLAT 180 85 BYBOX 40000 40000 km STOREDIST"),
        lines("georadius-store", ADD, "GEORADIUS g 15 37 200 km STORE d",
            "GEORADIUS g 15 37 200 km STOREDIST d COUNT 1",
            "georadiusbymember g Palermo 500 km store d2 desc", "GEORADIUSBYMEMBER g Palermo 500 km STOREDIST d2",
            "GEORADIUS g 15 37 200 km", "GEORADIUS_RO g 15 37 200 km WITHDIST",
            "GEORADIUSBYMEMBER_RO g Palermo 500 km", "GEORADIUS g 15 37 0 m STORE d", "GEORADIUS g 15 37 0 m STORE d",
            "GEORADIUS nokey 15 37 1 km STORE d2", "GEORADIUSBYMEMBER nokey x 1 km STORE d9",
            "GEORADIUS g 15 37 200 km STORE d WITHDIST", "GEORADIUS g 200 37 200 km STORE d"),
        lines("multi-exec", "MULTI", ADD, "GEOADD g 1 1 Palermo", "GEOSEARCHSTORE d g FROMLONLAT 1 1 BYRADIUS 10 km",
            "GEORADIUS g 1 1 10 km STOREDIST d2", "GEOPOS g Palermo", "EXEC"),
        new Case("eval", false, s -> s.call(0, "EVAL", "redis.call('GEOADD', KEYS[1], 1, 2, 'a', 3, 4, 'b') "
            + "redis.call('GEOADD', KEYS[1], 1, 2, 'a') "
            + "return redis.call('GEOSEARCHSTORE', KEYS[2], KEYS[1], 'FROMLONLAT', 1, 2, 'BYRADIUS', 1000, 'km')",
            "2", "g", "d")));
  }

  @Test
  void geoCommandsPropagateAsRedisPropagatesThem() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start()) {
      PropagationStreamIT.assertSameStreams("geo streams", new Master("redis", redis.port()),
          new Master("vireo", node.port()), cases(), UnaryOperator.identity());
    }
  }
}
