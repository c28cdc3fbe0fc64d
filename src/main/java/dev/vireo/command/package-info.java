/**
 * The command table ({@link dev.vireo.command.CommandSpec}: name, arity, flags, key positions, declared once) and
 * one class per command family. Every handler runs on the data loop and writes its reply into the client's
 * writer; user errors are thrown as {@link dev.vireo.command.CommandError} with Redis's exact text.
 */
package dev.vireo.command;
