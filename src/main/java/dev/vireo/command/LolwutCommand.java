package dev.vireo.command;

import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.READONLY;

import dev.vireo.resp.Args;
import dev.vireo.server.CommandTable;
import dev.vireo.util.Version;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code LOLWUT [VERSION version] [arguments...]}, as Redis 7.0 draws it: VERSION 5 is Georg Nees's "Schotter"
 * ({@code [columns] [squares-per-row] [squares-per-col]}, 66 8 12 by default) in Braille dots, VERSION 6 a skyline
 * in terminal grays ({@code [columns] [rows]}, 80 20), and any other version (the default) the version line only.
 * The version line names Vireo's own version and the Redis version it answers as:
 * {@code Vireo ver. 0.1.0 (Redis ver. 7.0.15)} where Redis writes {@code Redis ver. 7.0.15}.
 */
final class LolwutCommand {
  private LolwutCommand() {}

  static final String VERSION_LINE = "Vireo ver. " + Version.VIREO + " (Redis ver. " + Version.REDIS_COMPAT + ")";

  static void register(CommandTable t) {
    t.add("lolwut", -1, READONLY | FAST, 0, 0, 0, "server", "5.0.0", "Display some computer art and the Redis version",
        (c, a) -> c.out.verbatim(lolwut(a, ThreadLocalRandom.current())));
  }

  static String lolwut(Args a, Random random) {
    long version = Long.parseLong(Version.REDIS_COMPAT.substring(0, Version.REDIS_COMPAT.indexOf('.')));
    int from = 1;
    if (a.count() >= 3 && a.is(1, "version")) {
      version = a.longArg(2) & 0xffffffffL; // Redis formats it as an unsigned int
      from = 3;
    }
    if (version == 5) return schotter(a, from, random);
    if (version == 6) return skyline(a, from, random);
    return VERSION_LINE + "\n";
  }

  // ---- version 5: Schotter -----------------------------------------------------------------------------------

  private static String schotter(Args a, int from, Random random) {
    // parsed in order, each checked before the next, then clamped
    long cols = from < a.count() ? a.longArg(from) : 66;
    long perRow = from + 1 < a.count() ? a.longArg(from + 1) : 8;
    long perCol = from + 2 < a.count() ? a.longArg(from + 2) : 12;
    int columns = (int) Math.max(1, Math.min(1000, cols));
    int squaresPerRow = (int) Math.max(1, Math.min(200, perRow));
    int squaresPerCol = (int) Math.max(1, Math.min(200, perCol));

    int width = columns * 2;
    int padding = width > 4 ? 2 : 0;
    float side = (float) (width - padding * 2) / squaresPerRow;
    int height = (int) (side * squaresPerCol + padding * 2);
    byte[] canvas = new byte[width * height];
    for (int y = 0; y < squaresPerCol; y++) {
      for (int x = 0; x < squaresPerRow; x++) {
        int sx = (int) (x * side + side / 2 + padding);
        int sy = (int) (y * side + side / 2 + padding);
        float angle = 0;
        if (y > 1) { // the lower the row, the more the squares turn and drift
          float r1 = unit(random) / squaresPerCol * y;
          float r2 = unit(random) / squaresPerCol * y;
          float r3 = unit(random) / squaresPerCol * y;
          if (random.nextBoolean()) r1 = -r1;
          if (random.nextBoolean()) r2 = -r2;
          if (random.nextBoolean()) r3 = -r3;
          angle = r1;
          sx = (int) (sx + r2 * side / 3);
          sy = (int) (sy + r3 * side / 3);
        }
        square(canvas, width, height, sx, sy, side, angle);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int y = 0; y < height; y += 4) {
      for (int x = 0; x < width; x += 2) {
        int dots = pixel(canvas, width, height, x, y)
            | pixel(canvas, width, height, x, y + 1) << 1
            | pixel(canvas, width, height, x, y + 2) << 2
            | pixel(canvas, width, height, x + 1, y) << 3
            | pixel(canvas, width, height, x + 1, y + 1) << 4
            | pixel(canvas, width, height, x + 1, y + 2) << 5
            | pixel(canvas, width, height, x, y + 3) << 6
            | pixel(canvas, width, height, x + 1, y + 3) << 7;
        sb.append((char) (0x2800 + dots)); // the Braille cell with those dots
      }
      if (y != height - 1) sb.append('\n');
    }
    return sb.append("\nGeorg Nees - schotter, plotter on paper, 1968. ").append(VERSION_LINE).append('\n').toString();
  }

  /** A float in [0, 1], as {@code (float) rand() / RAND_MAX}. */
  private static float unit(Random random) {
    return (float) random.nextInt(Integer.MAX_VALUE) / (float) Integer.MAX_VALUE;
  }

  private static int pixel(byte[] canvas, int width, int height, int x, int y) {
    return x < 0 || x >= width || y < 0 || y >= height ? 0 : canvas[x + y * width];
  }

  /** A square of the given side centred on x, y and turned by angle: its corners on the circumscribed circle. */
  private static void square(byte[] canvas, int width, int height, int x, int y, float side, float angle) {
    float size = (float) (side / 1.4142135623);
    size = (float) roundC(size);
    int[] px = new int[4];
    int[] py = new int[4];
    float k = (float) (Math.PI / 4 + angle);
    for (int j = 0; j < 4; j++) {
      px[j] = (int) roundC(Math.sin(k) * size + x);
      py[j] = (int) roundC(Math.cos(k) * size + y);
      k = (float) (k + Math.PI / 2);
    }
    for (int j = 0; j < 4; j++) line(canvas, width, height, px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4]);
  }

  /** C's round(): halves away from zero. */
  private static double roundC(double v) {
    return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
  }

  /** Bresenham's line. */
  private static void line(byte[] canvas, int width, int height, int x1, int y1, int x2, int y2) {
    int dx = Math.abs(x2 - x1);
    int dy = Math.abs(y2 - y1);
    int sx = x1 < x2 ? 1 : -1;
    int sy = y1 < y2 ? 1 : -1;
    int err = dx - dy;
    while (true) {
      if (x1 >= 0 && x1 < width && y1 >= 0 && y1 < height) canvas[x1 + y1 * width] = 1;
      if (x1 == x2 && y1 == y2) return;
      int e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  // ---- version 6: skyline ------------------------------------------------------------------------------------

  private static final String[] GRAYS = {"0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"};

  private static String skyline(Args a, int from, Random random) {
    long cols = from < a.count() ? a.longArg(from) : 80;
    long rows = from + 1 < a.count() ? a.longArg(from + 1) : 20;
    int width = (int) Math.max(1, Math.min(1000, cols));
    int height = (int) Math.max(1, Math.min(1000, rows));
    byte[] canvas = new byte[width * height];
    Arrays.fill(canvas, (byte) 3);
    // background towers without windows, the lighter gray behind the darker
    for (int color = 2; color >= 1; color--) {
      for (int offset = -10; offset < width; ) {
        offset += random.nextInt(8);
        int w = 10 + random.nextInt(9);
        int h = color == 2 ? height / 2 + random.nextInt(height) / 2 : height / 2 + random.nextInt(height) / 3;
        tower(canvas, width, height, offset, w, h, false, color, random);
        offset += color == 2 ? w / 2 : w + 1;
      }
    }
    for (int offset = -10; offset < width; ) {
      offset += random.nextInt(8);
      int w = 5 + random.nextInt(14);
      if (w % 4 != 0) w += w % 3;
      int h = height / 3 + random.nextInt(height) / 2;
      tower(canvas, width, height, offset, w, h, true, 0, random);
      offset += w + 5;
    }
    StringBuilder sb = new StringBuilder();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) sb.append("\033[").append(GRAYS[canvas[x + y * width]]).append(" \033[0m");
      if (y != height - 1) sb.append('\n');
    }
    return sb.append("\nDedicated to the 8 bit game developers of past and present.\n")
        .append("Original 8 bit image from Plaguemon by hikikomori. ").append(VERSION_LINE).append('\n').toString();
  }

  /** One tower standing on the bottom row, its roof two pixels narrower each side; windows in the other gray. */
  private static void tower(byte[] canvas, int width, int height, int xoff, int w, int h, boolean windows, int color,
      Random random) {
    int starty = height - 1;
    int endy = starty - h + 1;
    for (int y = starty; y >= endy; y--) {
      for (int x = xoff; x < xoff + w; x++) {
        if (y == endy && (x <= xoff + 1 || x >= xoff + w - 2)) continue;
        int c = color;
        if (windows && x > xoff + 1 && x < xoff + w - 2 && y > endy + 1 && y < starty - 1) {
          int relx = x - (xoff + 1);
          int rely = y - (endy + 1);
          if (relx / 2 % 2 != 0 && rely % 2 != 0) {
            do {
              c = 1 + random.nextInt(2);
            } while (c == color);
            if (relx % 2 != 0) c = pixel(canvas, width, height, x - 1, y); // a window is two pixels wide
          }
        }
        if (x >= 0 && x < width && y >= 0 && y < height) canvas[x + y * width] = (byte) c;
      }
    }
  }
}
