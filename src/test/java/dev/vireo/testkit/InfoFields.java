package dev.vireo.testkit;

/** Single fields of an INFO reply ({@code name:value} lines), as tests compare them. */
public final class InfoFields {
  private InfoFields() {}

  /** One field of an INFO reply's text, or null. */
  public static String get(String info, String name) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
    }
    return null;
  }

  /** One field of {@code INFO everything} asked on {@code client}, or null. */
  public static String get(RespClient client, String name) {
    return get(client.call("INFO", "everything"), name);
  }
}
