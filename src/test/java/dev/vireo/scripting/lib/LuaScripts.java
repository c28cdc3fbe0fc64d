package dev.vireo.scripting.lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;

/**
 * Runs test scripts in a Lua 5.1 state holding the libraries, the way Redis compiles a script (chunk name
 * {@code @user_script}), and wraps case bodies so that their results come back as one ASCII string made by
 * {@code prelude.lua}'s serializer: the same text from a real redis-server's {@code EVAL} and from here.
 */
final class LuaScripts {
  /** One case of {@code corpus.lua}: a name and a function body. */
  record Case(String name, String body) {
    @Override
    public String toString() {
      return name;
    }
  }

  private LuaScripts() {}

  /** A fresh Lua 5.1 state with Lua's libraries and ScriptLibraries open. */
  static Lua newState() {
    Lua lua = new Lua51();
    lua.openLibraries();
    ScriptLibraries.open(lua);
    return lua;
  }

  /** The script's first result as bytes (it must return a string), or "ERR " and the error. */
  static byte[] run(Lua lua, String script) {
    byte[] source = script.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocateDirect(source.length);
    buffer.put(source).flip();
    int top = lua.getTop();
    try {
      lua.load(buffer, "@user_script");
      lua.pCall(0, 1);
      ByteBuffer result = lua.toBuffer(-1);
      if (result == null) {
        return ("not a string: " + lua.type(-1)).getBytes(StandardCharsets.UTF_8);
      }
      byte[] bytes = new byte[result.remaining()];
      result.get(bytes);
      return bytes;
    } catch (LuaException e) {
      return ("ERR " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
    } finally {
      lua.setTop(top);
    }
  }

  static String runText(Lua lua, String script) {
    return new String(run(lua, script), StandardCharsets.ISO_8859_1);
  }

  /** A script that runs {@code body} as a function under pcall and returns the serialized outcome. */
  static String wrap(String body) {
    return resource("prelude.lua") + "return __ser(pcall(function()\n" + body + "\nend))\n";
  }

  /** The cases of corpus.lua: each starts at a line "--- name". */
  static List<Case> corpus() {
    List<Case> cases = new ArrayList<>();
    String name = null;
    StringBuilder body = new StringBuilder();
    for (String line : resource("corpus.lua").split("\n", -1)) {
      if (line.startsWith("--- ")) {
        if (name != null) {
          cases.add(new Case(name, body.toString()));
        }
        name = line.substring(4).trim();
        body.setLength(0);
      } else if (name != null) {
        body.append(line).append('\n');
      }
    }
    if (name != null) {
      cases.add(new Case(name, body.toString()));
    }
    return cases;
  }

  static String resource(String name) {
    try (InputStream in = LuaScripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
