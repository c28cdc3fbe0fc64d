/**
 * The node's entry point and assembly: {@link dev.vireo.Vireo} parses the configuration and handles signals as
 * redis-server does; {@link dev.vireo.VireoNode} assembles one node (the data loop's core, persistence, the master
 * side, the replica link, the command table) and deploys its verticles: the RESP server whose event loop is the
 * data loop, then the HTTP endpoint and the event-bus bridge on event loops of their own. It also chooses the
 * Vert.x options a node needs ({@link dev.vireo.VireoNode#vertxOptions}: Netty's native transport with a {@code
 * unixsocket}). The only package that
 * knows every other; nothing imports it.
 */
package dev.vireo;
