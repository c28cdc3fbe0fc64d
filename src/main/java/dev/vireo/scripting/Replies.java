package dev.vireo.scripting;

import dev.vireo.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import party.iroiro.luajava.Lua;

/**
 * Redis's conversions between RESP and Lua, both ways. A command's reply becomes a Lua value (RESP2: status
 * {@code {ok=}}, error {@code {err=}}, nil false; RESP3 after {@code redis.setresp(3)}: {@code {map=}},
 * {@code {set=}}, {@code {double=}}, {@code {big_number=}}, booleans, nil). A script's result becomes a reply:
 * numbers truncated to integers, arrays up to the first nil, {@code {ok=}} status, {@code {err=}} error, false
 * nil in RESP2 mode, and the RESP3 shapes. Script thread only.
 */
final class Replies {
  private Replies() {}

  // ---------------------------------------------------------------- RESP -> Lua

  /** Parses one reply from {@code b} at {@code pos[0]} and pushes it; returns true if it was an error. */
  static boolean push(Lua L, byte[] b, int[] pos) {
    byte type = b[pos[0]++];
    switch (type) {
      case '+' -> {
        L.createTable(0, 1);
        LuaStrings.push(L, line(b, pos));
        L.setField(-2, "ok");
      }
      case '-' -> { // the command already counted this error: the table says so, as Redis's does
        L.createTable(0, 2);
        LuaStrings.push(L, line(b, pos));
        L.setField(-2, "err");
        L.push(true);
        L.setField(-2, "ignore_error_stats_update");
        return true;
      }
      case ':' -> L.push((double) Long.parseLong(ascii(line(b, pos))));
      case '$' -> {
        long n = Long.parseLong(ascii(line(b, pos)));
        if (n < 0) {
          L.push(false);
        } else {
          byte[] s = new byte[(int) n];
          System.arraycopy(b, pos[0], s, 0, (int) n);
          pos[0] += (int) n + 2;
          LuaStrings.push(L, s);
        }
      }
      case '=' -> { // verbatim: {verbatim_string={format=, string=}}
        long n = Long.parseLong(ascii(line(b, pos)));
        L.createTable(0, 1);
        L.createTable(0, 2);
        L.push(new String(b, pos[0], 3, StandardCharsets.ISO_8859_1));
        L.setField(-2, "format");
        byte[] s = new byte[(int) n - 4];
        System.arraycopy(b, pos[0] + 4, s, 0, s.length);
        LuaStrings.push(L, s);
        L.setField(-2, "string");
        L.setField(-2, "verbatim_string");
        pos[0] += (int) n + 2;
      }
      case '*', '>' -> {
        long n = Long.parseLong(ascii(line(b, pos)));
        if (n < 0) {
          L.push(false);
        } else {
          L.createTable((int) n, 0);
          for (int i = 1; i <= n; i++) {
            push(L, b, pos);
            L.rawSetI(-2, i);
          }
        }
      }
      case '%' -> {
        long n = Long.parseLong(ascii(line(b, pos)));
        L.createTable(0, 1);
        L.createTable(0, (int) n);
        for (int i = 0; i < n; i++) {
          push(L, b, pos);
          push(L, b, pos);
          L.rawSet(-3);
        }
        L.setField(-2, "map");
      }
      case '~' -> {
        long n = Long.parseLong(ascii(line(b, pos)));
        L.createTable(0, 1);
        L.createTable(0, (int) n);
        for (int i = 0; i < n; i++) {
          push(L, b, pos);
          L.push(true);
          L.rawSet(-3);
        }
        L.setField(-2, "set");
      }
      case '_' -> {
        line(b, pos);
        L.pushNil();
      }
      case ',' -> {
        String s = ascii(line(b, pos));
        L.createTable(0, 1);
        L.push(parseDouble(s));
        L.setField(-2, "double");
      }
      case '#' -> L.push(line(b, pos)[0] == 't');
      case '(' -> {
        L.createTable(0, 1);
        LuaStrings.push(L, line(b, pos));
        L.setField(-2, "big_number");
      }
      default -> throw new IllegalStateException("unexpected reply type " + (char) type);
    }
    return false;
  }

  private static double parseDouble(String s) {
    return switch (s) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static byte[] line(byte[] b, int[] pos) {
    int start = pos[0];
    int end = start;
    while (b[end] != '\r') end++;
    pos[0] = end + 2;
    byte[] r = new byte[end - start];
    System.arraycopy(b, start, r, 0, r.length);
    return r;
  }

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- Lua -> RESP

  /**
   * Writes the Lua value at the top of the stack as a reply (and pops it). {@code scriptResp} is the protocol the
   * script chose with redis.setresp: it decides what booleans become.
   */
  /**
   * Writes the script's value as a reply; the error replies it holds that no command counted yet (an
   * error_reply or {err=...} of the script's own) are added to {@code errors}, for the error statistics.
   */
  static void write(Lua L, RespWriter out, int scriptResp, List<String> errors) {
    switch (L.type(-1)) {
      case STRING -> out.bulk(LuaStrings.bytes(L, -1));
      case BOOLEAN -> {
        boolean v = L.toBoolean(-1);
        if (scriptResp == 2) {
          if (v) out.integer(1);
          else nullReply(out);
        } else {
          out.bool(v);
        }
      }
      case NUMBER -> out.integer(LuaStrings.toLong(L.toNumber(-1)));
      case TABLE -> table(L, out, scriptResp, errors);
      default -> nullReply(out);
    }
    L.pop(1);
  }

  private static void nullReply(RespWriter out) {
    if (out.proto() == 3) out.raw(RespWriter.ascii("_\r\n"));
    else out.nullBulk();
  }

  private static void table(Lua L, RespWriter out, int scriptResp, List<String> errors) {
    L.checkStack(8);
    if (field(L, "err") == Lua.LuaType.STRING) {
      String e = LuaStrings.string(L, -1);
      L.pop(1);
      String line = oneLine(e);
      out.error(line);
      boolean counted = field(L, "ignore_error_stats_update") == Lua.LuaType.BOOLEAN && L.toBoolean(-1);
      L.pop(1);
      if (!counted) errors.add(line);
      return;
    }
    L.pop(1);
    if (field(L, "ok") == Lua.LuaType.STRING) {
      out.simple(oneLine(LuaStrings.string(L, -1)));
      L.pop(1);
      return;
    }
    L.pop(1);
    if (field(L, "double") == Lua.LuaType.NUMBER) {
      out.dbl(L.toNumber(-1));
      L.pop(1);
      return;
    }
    L.pop(1);
    if (field(L, "big_number") == Lua.LuaType.STRING) {
      String s = oneLine(LuaStrings.string(L, -1));
      L.pop(1);
      if (out.proto() == 3) out.raw(RespWriter.ascii("(" + s + "\r\n"));
      else out.bulk(s.getBytes(StandardCharsets.ISO_8859_1));
      return;
    }
    L.pop(1);
    if (field(L, "verbatim_string") == Lua.LuaType.TABLE) { // stack: t, v
      boolean isString = field(L, "format") == Lua.LuaType.STRING;
      String format = isString ? LuaStrings.string(L, -1) : null;
      L.pop(1);
      if (isString) {
        if (field(L, "string") == Lua.LuaType.STRING) {
          byte[] s = LuaStrings.bytes(L, -1);
          L.pop(2);
          if (out.proto() == 3) {
            out.raw(RespWriter.ascii("=" + (s.length + 4) + "\r\n" + format + ":"));
            out.raw(s).raw(RespWriter.ascii("\r\n"));
          } else {
            out.bulk(s);
          }
          return;
        }
        L.pop(1);
      }
    }
    L.pop(1);
    if (field(L, "map") == Lua.LuaType.TABLE) {
      int n = 0;
      L.pushNil();
      while (L.next(-2) != 0) {
        L.pop(1);
        n++;
      }
      out.map(n);
      L.pushNil();
      while (L.next(-2) != 0) {
        L.pushValue(-2);
        write(L, out, scriptResp, errors); // key
        write(L, out, scriptResp, errors); // value
      }
      L.pop(1);
      return;
    }
    L.pop(1);
    if (field(L, "set") == Lua.LuaType.TABLE) {
      int n = 0;
      L.pushNil();
      while (L.next(-2) != 0) {
        L.pop(1);
        n++;
      }
      out.set(n);
      L.pushNil();
      while (L.next(-2) != 0) {
        L.pop(1);
        L.pushValue(-1);
        write(L, out, scriptResp, errors);
      }
      L.pop(1);
      return;
    }
    L.pop(1);
    int n = 0;
    while (true) {
      L.rawGetI(-1, n + 1);
      boolean nil = L.isNil(-1);
      L.pop(1);
      if (nil) break;
      n++;
    }
    out.array(n);
    for (int i = 1; i <= n; i++) {
      L.rawGetI(-1, i);
      write(L, out, scriptResp, errors);
    }
  }

  /** Pushes {@code t[name]} (raw) of the table at the top; returns its type. */
  private static Lua.LuaType field(Lua L, String name) {
    L.push(name);
    L.rawGet(-2);
    return L.type(-1);
  }

  /** Redis builds error and status lines as C strings: they end at a NUL, and CR/LF become spaces. */
  static String oneLine(String s) {
    int nul = s.indexOf('\0');
    if (nul >= 0) s = s.substring(0, nul);
    return s.replace('\r', ' ').replace('\n', ' ');
  }
}
