package dev.vireo.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading what a replica sends to a byte-scripted fake master: lines and RESP commands from a raw stream. */
public final class RespLines {
  private RespLines() {}

  /** One line without its CRLF, or null when the stream ended. */
  public static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) return null;
      if (c != '\r') sb.append((char) c);
    }
    return sb.toString();
  }

  /**
   * One RESP command as its words, skipping the bare newlines a loading replica sends as keepalives; null when the
   * stream ended.
   */
  public static List<String> readCommand(InputStream in) throws IOException {
    String head;
    do {
      head = readLine(in);
      if (head == null) return null;
    } while (head.isEmpty());
    if (!head.startsWith("*")) throw new IOException("not a RESP command: " + head);
    int n = Integer.parseInt(head.substring(1));
    List<String> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int l = Integer.parseInt(readLine(in).substring(1));
      byte[] data = in.readNBytes(l + 2);
      words.add(new String(data, 0, l, StandardCharsets.UTF_8));
    }
    return words;
  }

  /** A command as RESP text, for a fake master to send. */
  public static String command(String... words) {
    return new String(RespClient.encodeCommand(words), StandardCharsets.UTF_8);
  }
}
