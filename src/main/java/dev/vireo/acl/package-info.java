/**
 * ACL users as Redis 7.0 has them. {@link dev.vireo.acl.Acl} owns the user table (the {@code default} user kept in
 * step with {@code requirepass}), AUTH, the permission check the dispatcher, MULTI and scripts run before each
 * command (through the core's {@link dev.vireo.server.AccessControl}), the ACL log and the {@code aclfile};
 * {@code User} and {@code Selector} parse and render the rules exactly as ACL SETUSER and ACL LIST do, passwords
 * kept only as SHA-256 hashes (never logged). {@link dev.vireo.acl.AclCommands} is the ACL command family.
 *
 * <p>Everything here runs on the data loop (and on the script thread while a script holds the keyspace, the data
 * loop waiting meanwhile). Depends on the core ({@code server}), {@code config}, {@code resp} and {@code util};
 * the ACL categories of each command come from the command table's own metadata, handed in when the node is
 * assembled.
 */
package dev.vireo.acl;
