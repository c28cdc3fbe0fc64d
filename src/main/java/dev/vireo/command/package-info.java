/**
 * One class per command family (strings, keys, lists, hashes, sets, sorted sets, geo, streams, bits, HyperLogLog,
 * sort, pub/sub, transactions, scripting (run by {@link dev.vireo.scripting.ScriptEngine}), connection, client, server, replication, dump/restore, latency), each registering its
 * commands in the {@link dev.vireo.server.CommandTable} once, with name, arity, flags and key positions. Every
 * handler runs on the data loop and writes its reply into the client's writer; user errors are thrown as {@link
 * dev.vireo.resp.CommandError} with Redis's exact text. Families see the client and its {@link
 * dev.vireo.server.Server}; the few that act on persistence or replication (INFO, SAVE, ROLE, REPLICAOF, PSYNC,
 * WAIT, DEBUG) are handed a {@link dev.vireo.command.Node} when they register.
 */
package dev.vireo.command;
