package dev.vireo.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** DUMP and RESTORE with their binary payloads, as raw bytes on a {@link RespClient}. */
public final class Dumps {
  private Dumps() {}

  /** The payload DUMP returns for {@code key}, or null when the key does not exist. */
  public static byte[] dump(RespClient client, String key) {
    byte[] reply = client.callBytes(bytes("DUMP"), bytes(key));
    String text = new String(reply, StandardCharsets.ISO_8859_1);
    if (text.startsWith("$-1")) return null;
    if (reply[0] != '$') throw new AssertionError("not a bulk reply: " + text);
    int crlf = text.indexOf("\r\n");
    int n = Integer.parseInt(text.substring(1, crlf));
    return Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + n);
  }

  /** {@code RESTORE key ttl payload [options...]}; the reply as text. */
  public static String restore(RespClient client, String key, String ttl, byte[] payload, String... options) {
    byte[][] args = new byte[4 + options.length][];
    args[0] = bytes("RESTORE");
    args[1] = bytes(key);
    args[2] = bytes(ttl);
    args[3] = payload;
    for (int i = 0; i < options.length; i++) args[4 + i] = bytes(options[i]);
    return new String(client.callBytes(args), StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
