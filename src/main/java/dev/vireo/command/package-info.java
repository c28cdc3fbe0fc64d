/**
 * The command table ({@link dev.vireo.server.CommandSpec}: name, arity, flags, key positions, declared once) and
 * one class per command family. Every handler runs on the data loop and writes its reply into the client's
 * writer; user errors are thrown as {@link dev.vireo.resp.CommandError} with Redis's exact text.
 */
package dev.vireo.command;
