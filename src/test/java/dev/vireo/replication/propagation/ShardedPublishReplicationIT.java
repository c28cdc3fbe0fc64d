package dev.vireo.replication.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.replication.propagation.PropagationStreamIT.Case;
import dev.vireo.replication.propagation.PropagationStreamIT.Master;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPUBLISH outside cluster mode goes down the replication stream as PUBLISH does (Redis 7.0 forces its
 * propagation): the stream a Vireo master sends is the one a real redis-server master sends, and the shard
 * subscribers of a replica get the message, on a Vireo replica of Vireo or of Redis and on a Redis replica of Vireo.
 */
class ShardedPublishReplicationIT {
  private static final String SUBSCRIBED = "*3\r\n$10\r\nssubscribe\r\n$2\r\nsc\r\n:1\r\n";
  private static final String MESSAGE = "*3\r\n$8\r\nsmessage\r\n$2\r\nsc\r\n$5\r\nhello\r\n";

  private static final Case SPUBLISH = new Case("spublish", false, s -> {
    s.runAll("SPUBLISH sc hello", "spublish nobody x", "SELECT 2", "SPUBLISH sc in-db-2", "MULTI",
        "SPUBLISH sc in-multi", "SET k v", "EXEC", "MULTI", "SPUBLISH sc alone-in-multi", "EXEC");
    s.call(0, "EVAL", "return redis.call('spublish', 'sc', 'from-script')", "0");
    s.call(0, "EVAL", "redis.call('set', 'k2', 'v') return redis.call('spublish', 'sc', 'after-write')", "0");
  });

  @Test
  void theStreamCarriesSpublishAsRedisSendsIt() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start()) {
      Master ref = new Master("redis", redis.port());
      Master vireo = new Master("vireo", node.port());
      try {
        List<String> expected = ref.run(SPUBLISH);
        List<String> actual = vireo.run(SPUBLISH);
        assertEquals(String.join("\n", expected), String.join("\n", actual));
        assertEquals("SPUBLISH sc hello", expected.get(0), "the stream as recorded from Redis");
      } finally {
        ref.close();
        vireo.close();
      }
    }
  }

  @Test
  void shardSubscribersOfReplicasGetTheMessage() throws InterruptedException {
    try (TestNode master = TestNode.start("--repl-diskless-sync-delay", "0");
        RedisServerProcess redisReplica = RedisServerProcess.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()));
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port());
        RedisServerProcess redisMaster = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        TestNode replicaOfRedis = TestNode.start("--replicaof", "127.0.0.1 " + redisMaster.port());
        RespClient onRedis = redisReplica.client();
        RespClient onVireo = replica.client();
        RespClient onVireoOfRedis = replicaOfRedis.client()) {
      Links.awaitUp(onRedis, "redis replica");
      Links.awaitUp(onVireo, "vireo replica");
      Links.awaitUp(onVireoOfRedis, "vireo replica of redis");
      assertEquals(SUBSCRIBED, onRedis.call("SSUBSCRIBE", "sc"));
      assertEquals(SUBSCRIBED, onVireo.call("SSUBSCRIBE", "sc"));
      assertEquals(SUBSCRIBED, onVireoOfRedis.call("SSUBSCRIBE", "sc"));
      // no subscriber on the masters themselves: the message still goes to the replicas
      try (RespClient m = master.client(); RespClient r = redisMaster.client()) {
        assertEquals(":0\r\n", m.call("SPUBLISH", "sc", "hello"));
        assertEquals(":0\r\n", r.call("SPUBLISH", "sc", "hello"));
      }
      assertEquals(MESSAGE, onRedis.readReply());
      assertEquals(MESSAGE, onVireo.readReply());
      assertEquals(MESSAGE, onVireoOfRedis.readReply());
    }
  }
}
