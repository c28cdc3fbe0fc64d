/**
 * The test kit: in-process nodes on free ports ({@link dev.vireo.testkit.TestNode}), a raw RESP client for
 * exact-bytes assertions ({@link dev.vireo.testkit.RespClient}), and runners for real peers
 * ({@code redis-server}, {@code redis-cli}, {@code redis-sentinel}: {@link dev.vireo.testkit.SentinelProcess}, the
 * packaged jar as a process: {@link dev.vireo.testkit.VireoJar}) with bounded waits, and an OTLP/HTTP trace receiver standing in for a collector ({@link dev.vireo.testkit.OtlpReceiver}).
 * Shared by every test package: HTTP to a node's endpoint ({@link dev.vireo.testkit.Http}), bounded polling
 * ({@link dev.vireo.testkit.Poll}), INFO fields ({@link dev.vireo.testkit.InfoFields}) and DUMP/RESTORE payloads
 * ({@link dev.vireo.testkit.Dumps}). Everything here blocks the calling test thread and never runs on a Vert.x
 * event loop; every process and socket it opens is closed by the test that opened it.
 */
package dev.vireo.testkit;
