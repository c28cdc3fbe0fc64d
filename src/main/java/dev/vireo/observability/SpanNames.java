package dev.vireo.observability;

import dev.vireo.replication.ReplStep;

/** Every span and attribute name Vireo emits, in one place. No attribute ever carries a secret. */
public final class SpanNames {
  private SpanNames() {}

  /** One attempt to synchronize with a master: the root of a trace. */
  public static final String SYNC = "replication.sync";
  /** The steps of an attempt, children of {@link #SYNC}. */
  public static final String CONNECT = "replication.connect";
  public static final String PING = "replication.ping";
  public static final String AUTH = "replication.auth";
  public static final String REPLCONF = "replication.replconf";
  public static final String PSYNC = "replication.psync";
  public static final String RDB_TRANSFER = "replication.rdb.transfer";
  public static final String RDB_LOAD = "replication.rdb.load";

  /**
   * The span of a replication step; null for {@link ReplStep#ONLINE}, which ends the attempt's trace. The
   * transfer step's span covers the receipt of the RDB; {@link #RDB_LOAD}, its parse, runs within that step.
   */
  public static String step(ReplStep step) {
    return switch (step) {
      case CONNECT -> CONNECT;
      case PING -> PING;
      case AUTH -> AUTH;
      case REPLCONF -> REPLCONF;
      case PSYNC -> PSYNC;
      case TRANSFER -> RDB_TRANSFER;
      case ONLINE -> null;
    };
  }

  /** A master serving one replica's PSYNC or SYNC, until the replica is online: in the replica's trace. */
  public static final String SERVE_REPLICA = "replication.master.psync";
  /** The phases of a full resynchronization served, children of {@link #SERVE_REPLICA}. */
  public static final String MASTER_WAIT_SNAPSHOT = "replication.master.wait_snapshot";
  public static final String MASTER_SNAPSHOT = "replication.master.snapshot";
  public static final String MASTER_TRANSFER = "replication.master.rdb.transfer";
  public static final String MASTER_AWAIT_ACK = "replication.master.await_ack";

  /**
   * A coordinated failover run by a master ({@code FAILOVER}), from the command to the end of its resynchronization
   * with the target, or to its abort: the root of a trace.
   */
  public static final String FAILOVER = "replication.failover";
  /** Writes paused until the target acknowledged the master's whole stream (or the timeout passed). */
  public static final String FAILOVER_WAIT_SYNC = "replication.failover.wait_sync";
  /** Following the target: connection, handshake and {@code PSYNC ... FAILOVER}, until the target answers. */
  public static final String FAILOVER_PSYNC = "replication.failover.psync";
  /** The target answered: the failover state is cleared and the clients held by the pause run, on a replica. */
  public static final String FAILOVER_ROLE_SWITCH = "replication.failover.role_switch";
  /** The node, now a replica of the target, until the link streams from it. */
  public static final String FAILOVER_RESYNC = "replication.failover.resync";
  /** On the target: {@code PSYNC ... FAILOVER} turning it into a master. */
  public static final String FAILOVER_PROMOTE = "replication.failover.promote";

  public static final String ATTR_FAILOVER_TARGET = "vireo.failover.target";
  public static final String ATTR_FAILOVER_FORCE = "vireo.failover.force";
  public static final String ATTR_FAILOVER_TIMEOUT = "vireo.failover.timeout_ms";

  public static final String ATTR_REPLICA = "vireo.replica";
  /** Resource attributes of every span a node exports: which node, on which port, in which role at start. */
  public static final String RESOURCE_INSTANCE_ID = "service.instance.id";
  public static final String ATTR_PORT = "vireo.port";
  public static final String ATTR_ROLE = "vireo.role";
  public static final String ATTR_MASTER_HOST = "vireo.master.host";
  public static final String ATTR_MASTER_PORT = "vireo.master.port";
  public static final String ATTR_ATTEMPT = "vireo.attempt";
  public static final String ATTR_STATE = "vireo.replication.state";
  public static final String ATTR_DETAIL = "vireo.detail";
  public static final String ATTR_RESULT = "vireo.sync.result";
  public static final String ATTR_REPLID = "vireo.repl.id";
  public static final String ATTR_OFFSET = "vireo.repl.offset";
  public static final String ATTR_KEYS_LOADED = "vireo.keys.loaded";
  public static final String ATTR_RDB_BYTES = "vireo.rdb.bytes";
}
