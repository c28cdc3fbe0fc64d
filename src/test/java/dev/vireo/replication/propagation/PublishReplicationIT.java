package dev.vireo.replication.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.Test;

/**
 * PUBLISH on a master reaches the subscribers of its replicas (Redis 7.0 sends it down the stream): a real
 * redis-server replica and a Vireo replica of a Vireo master both deliver it, and so does a Vireo replica of a real
 * Redis master.
 */
class PublishReplicationIT {
  private static final String SUBSCRIBED = "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n";
  private static final String MESSAGE = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n";

  @Test
  void subscribersOfReplicasOfVireoGetTheMessage() throws InterruptedException {
    try (TestNode master = TestNode.start("--repl-diskless-sync-delay", "0");
        RedisServerProcess redis = RedisServerProcess.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()));
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port());
        RespClient onRedis = redis.client();
        RespClient onVireo = replica.client()) {
      Links.awaitUp(onRedis, "redis replica");
      Links.awaitUp(onVireo, "vireo replica");
      assertEquals(SUBSCRIBED, onRedis.call("SUBSCRIBE", "ch"));
      assertEquals(SUBSCRIBED, onVireo.call("SUBSCRIBE", "ch"));
      // no subscriber on the master itself: the message still goes to the replicas
      assertEquals(":0\r\n", master.client().call("PUBLISH", "ch", "hello"));
      assertEquals(MESSAGE, onRedis.readReply());
      assertEquals(MESSAGE, onVireo.readReply());
    }
  }

  @Test
  void aVireoReplicaOfRedisDeliversTheMessage() throws InterruptedException {
    try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + redis.port());
        RespClient onVireo = replica.client()) {
      Links.awaitUp(onVireo, "vireo replica");
      assertEquals(SUBSCRIBED, onVireo.call("SUBSCRIBE", "ch"));
      assertEquals(":0\r\n", redis.client().call("PUBLISH", "ch", "hello"));
      assertEquals(MESSAGE, onVireo.readReply());
    }
  }

}
