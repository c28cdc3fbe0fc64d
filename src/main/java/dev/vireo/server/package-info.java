/**
 * The RESP server: {@link dev.vireo.server.RespServerVerticle} accepts connections on the data loop,
 * {@link dev.vireo.server.Client} turns each read into commands and writes the replies of one read with one
 * write, and {@link dev.vireo.server.Server} holds the node's state and dispatches every command (arity, auth,
 * then the handler), all on the single data loop that owns the keyspace.
 */
package dev.vireo.server;
