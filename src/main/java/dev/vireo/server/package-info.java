/**
 * The data loop's core. {@link dev.vireo.server.RespServerVerticle} accepts connections, on TCP and on the {@code
 * unixsocket} file (both handed to the same client registry; it owns the socket file from the stale one's removal
 * to its deletion at stop); its event loop is the data loop, on which everything in this package runs, without locks (Redis's model). {@link
 * dev.vireo.server.Client} turns each read into commands and writes the replies of one read with one write. The
 * {@link dev.vireo.server.Server} holds the keyspace, configuration, statistics and {@link
 * dev.vireo.replication.ReplicationState}, and parts that each own one thing: the {@link
 * dev.vireo.server.ClientRegistry}, the {@link dev.vireo.server.Dispatcher} (the command table of {@link
 * dev.vireo.server.CommandSpec}s, checks, statistics, propagation decisions; each command's documentation, tips and
 * key specs in a {@link dev.vireo.server.CommandMeta} read from a resource on first use), {@link
 * dev.vireo.server.Transactions}, {@link dev.vireo.server.PubSub}, {@link dev.vireo.server.KeyspaceEvents} (keyspace
 * notifications, published through PubSub), {@link dev.vireo.server.Blocking}, {@link dev.vireo.server.ClientPause}
 * (clients held per purpose), {@link dev.vireo.server.ShutdownWait} (SHUTDOWN and the signals, waiting for lagging
 * replicas) and the cron.
 *
 * <p>{@link dev.vireo.server.Tracking} does client-side caching (CLIENT TRACKING): its table of the keys tracking
 * clients read, fed by the same modified-key hook as WATCH, and the invalidations it sends.
 *
 * <p>The one exception to "everything runs on the data loop": while a script runs, the data loop hands the
 * keyspace (and this package's state the commands touch) to the script thread, which calls commands through
 * {@link dev.vireo.server.Dispatcher#callFromScript}; the data loop waits meanwhile, or, past
 * busy-reply-threshold, goes into {@link dev.vireo.server.Busy} mode: it answers -BUSY, defers whatever touches the
 * keyspace (cron, blocking timeouts, the master's stream, disconnects) and finishes the suspended command with
 * {@link dev.vireo.server.Dispatcher#resume} when the script ends (see {@code dev.vireo.scripting}).
 *
 * <p>What lies above (persistence, the replica link, the master side) is reached only through the narrow
 * interfaces declared here and installed when the node is assembled: {@link dev.vireo.server.Snapshots}, {@link
 * dev.vireo.server.ReplicaRole}, {@link dev.vireo.server.Propagation}, {@link dev.vireo.server.ScriptInfo} and {@link
 * dev.vireo.server.AccessControl} (the ACL users, checked once per command in the dispatcher). This package imports
 * none of the packages that implement them, nor any command family.
 */
package dev.vireo.server;
