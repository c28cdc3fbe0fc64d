/**
 * Event-bus addresses and the shapes of the messages sent to them: the node's control and state plane. JSON for
 * what leaves the node (the status page, the TCP bridge); typed records passed by reference ({@link
 * dev.vireo.bus.LocalCodec}) between the node's own verticles. Safe on any thread.
 */
package dev.vireo.bus;
