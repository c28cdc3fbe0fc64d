/**
 * One class per command family (strings, keys, lists, hashes, sets, sorted sets, geo, streams, bits, HyperLogLog,
 * sort, pub/sub, transactions, scripting (run by {@link dev.vireo.scripting.ScriptEngine}), connection, client, server, replication, dump/restore, latency), each registering its
 * commands in the {@link dev.vireo.server.CommandTable} once, with name, arity, flags and key positions. Every
 * handler runs on the data loop and writes its reply into the client's writer; user errors are thrown as {@link
 * dev.vireo.resp.CommandError} with Redis's exact text. Families see the client and its {@link
 * dev.vireo.server.Server}; the few that act on persistence or replication (INFO, SAVE, ROLE, REPLICAOF, PSYNC,
 * WAIT, DEBUG) are handed a {@link dev.vireo.command.Node} when they register.
 *
 * <p>What describes a command beyond that (COMMAND DOCS's summary, since, group, complexity, history and
 * arguments; COMMAND INFO's tips, key specs and ACL categories) is not declared here: it is read from
 * {@code src/main/resources/dev/vireo/commands.json} ({@link dev.vireo.server.CommandMeta}), joined by the command's
 * name. That file is Redis 7.0's descriptions, regenerated from a running redis-server 7.0 with
 * {@code python3 src/dev/commands_json.py PORT > src/main/resources/dev/vireo/commands.json}; where Vireo differs
 * (a subcommand Redis 7.0 lacks), {@code commands-vireo.json} says so and is merged over it. A command added here needs
 * an entry in one of the two ({@code CommandMetaTest} fails otherwise), and its first/last/step must be the ones its
 * key specs give; the rest of the description is compared with Redis's by {@code CommandMetadataDifferentialIT}.
 */
package dev.vireo.command;
