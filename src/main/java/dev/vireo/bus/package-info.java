/** Event-bus addresses and the JSON shapes of the messages sent to them: the node's control and state plane. */
package dev.vireo.bus;
