package dev.vireo.command;

import dev.vireo.persistence.Persistence;
import dev.vireo.persistence.aof.AofWriter;
import dev.vireo.replication.master.MasterSide;
import dev.vireo.replication.replica.ReplicaLink;
import dev.vireo.server.Server;

/**
 * The parts of a node that the server, replication and persistence commands (INFO, SAVE, ROLE, REPLICAOF, PSYNC,
 * WAIT, DEBUG RELOAD, BGREWRITEAOF...) reach beyond the data loop's core. Handed to those families when the command table is
 * filled; every other family sees only the client and its {@link Server}.
 */
public record Node(Server server, Persistence persistence, ReplicaLink replica, MasterSide master, AofWriter aof) {}
