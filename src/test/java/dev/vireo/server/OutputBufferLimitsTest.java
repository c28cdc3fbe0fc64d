package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.config.ServerConfig;
import org.junit.jupiter.api.Test;

/** The parsed client-output-buffer-limit classes and the one rule every class is checked with. */
class OutputBufferLimitsTest {
  @Test
  void classesFollowTheDirectiveAndConfigSet() throws Exception {
    ServerConfig config = ServerConfig.load(new String[0]);
    OutputBufferLimits limits = new OutputBufferLimits(config);
    assertTrue(limits.normal().none());
    assertEquals(new OutputBufferLimits.Limit(268435456, 67108864, 60), limits.replica());
    assertEquals(new OutputBufferLimits.Limit(33554432, 8388608, 60), limits.pubsub());
    config.set("client-output-buffer-limit", "normal 1mb 512kb 5 slave 0 0 0");
    assertEquals(new OutputBufferLimits.Limit(1048576, 524288, 5), limits.normal());
    assertTrue(limits.replica().none());
    assertEquals(new OutputBufferLimits.Limit(33554432, 8388608, 60), limits.pubsub());
  }

  @Test
  void hardAtOnceSoftOnlyAfterTheSeconds() {
    OutputBufferLimits.Limit limit = new OutputBufferLimits.Limit(1000, 500, 2);
    OutputBufferLimits.SoftClock fresh = new OutputBufferLimits.SoftClock();
    assertTrue(fresh.reached(limit, 1000, 10_000), "the hard limit closes at once");
    assertFalse(fresh.reached(limit, 499, 10_000));
    assertFalse(fresh.reached(limit, 500, 10_000), "the first time over the soft limit starts the clock");
    assertFalse(fresh.reached(limit, 600, 12_000), "two seconds are not more than two");
    assertTrue(fresh.reached(limit, 600, 12_001));
    assertFalse(fresh.reached(limit, 100, 12_002), "under the soft limit again: the clock stops");
    assertFalse(fresh.reached(limit, 600, 20_000));
    assertTrue(fresh.reached(limit, 600, 22_001));
  }

  @Test
  void zeroSoftSecondsClosesAtTheNextCheck() {
    OutputBufferLimits.Limit limit = new OutputBufferLimits.Limit(0, 500, 0);
    OutputBufferLimits.SoftClock clock = new OutputBufferLimits.SoftClock();
    assertFalse(clock.reached(limit, 500, 1_000));
    assertFalse(clock.reached(limit, 500, 1_000));
    assertTrue(clock.reached(limit, 500, 1_001));
  }
}
