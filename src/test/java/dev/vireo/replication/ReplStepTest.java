package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.observability.SpanNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one mapping from link state to replication step: total, ordered, and named once per consumer. */
class ReplStepTest {

  @Test
  void everyStepHasStatesAndTheStepsFollowTheStatesOrder() {
    Set<ReplStep> seen = EnumSet.noneOf(ReplStep.class);
    ReplStep last = null;
    for (ReplState s : ReplState.values()) {
      ReplStep step = ReplStep.of(s);
      if (step == null) continue;
      seen.add(step);
      if (last != null) assertTrue(step.compareTo(last) >= 0, s + " goes back from " + last + " to " + step);
      last = step;
    }
    assertEquals(EnumSet.allOf(ReplStep.class), seen, "a step no state belongs to");
  }

  @Test
  void theStatesOfNoStep() {
    List<ReplState> none = new ArrayList<>();
    for (ReplState s : ReplState.values()) if (ReplStep.of(s) == null) none.add(s);
    assertEquals(List.of(ReplState.NONE, ReplState.CONNECT, ReplState.SEND_HANDSHAKE), none);
    // SEND_HANDSHAKE closes the PING step: AUTH comes only with masterauth, so it cannot open it
    assertEquals(ReplStep.PING, ReplStep.reached(ReplState.SEND_HANDSHAKE));
    assertNull(ReplStep.reached(ReplState.NONE));
    assertNull(ReplStep.reached(ReplState.CONNECT));
  }

  @Test
  void everyStateOfAnAttemptHasTheStepAFailureThereBelongsTo() {
    for (ReplState s : ReplState.values()) {
      if (s == ReplState.NONE || s == ReplState.CONNECT) continue;
      ReplStep reached = ReplStep.reached(s);
      assertNotNull(reached, s.name());
      if (ReplStep.of(s) != null) assertEquals(ReplStep.of(s), reached, s.name());
    }
    assertEquals(ReplStep.ONLINE, ReplStep.reached(ReplState.CONNECTED), "a dropped link fails the online step");
    assertEquals(ReplStep.AUTH, ReplStep.reached(ReplState.RECEIVE_AUTH_REPLY));
    assertEquals(ReplStep.TRANSFER, ReplStep.reached(ReplState.TRANSFER));
  }

  /** The names the README documents for the status page ({@code steps[].step}) and the meters' {@code step} tag. */
  @Test
  void namesAndOptionalSteps() {
    assertEquals(List.of("connect", "ping", "auth", "replconf", "psync", "transfer", "online"),
        Arrays.stream(ReplStep.values()).map(ReplStep::id).toList());
    assertEquals(List.of("Connect", "PING", "AUTH", "REPLCONF", "PSYNC", "Transfer / load", "Stream online"),
        Arrays.stream(ReplStep.values()).map(ReplStep::label).toList());
    assertEquals(EnumSet.of(ReplStep.AUTH, ReplStep.TRANSFER),
        EnumSet.copyOf(Arrays.stream(ReplStep.values()).filter(ReplStep::optional).toList()));
  }

  @Test
  void aSpanPerStepButOnline() {
    Set<String> names = new HashSet<>();
    for (ReplStep step : ReplStep.values()) {
      String name = SpanNames.step(step);
      if (step == ReplStep.ONLINE) {
        assertNull(name, "the online step ends the attempt's trace");
        continue;
      }
      assertNotNull(name, step.name());
      assertTrue(names.add(name), "two steps share the span " + name);
    }
    assertEquals(Set.of(SpanNames.CONNECT, SpanNames.PING, SpanNames.AUTH, SpanNames.REPLCONF, SpanNames.PSYNC,
        SpanNames.RDB_TRANSFER), names);
  }
}
