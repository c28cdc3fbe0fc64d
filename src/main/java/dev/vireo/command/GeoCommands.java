package dev.vireo.command;

import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.MOVABLEKEYS;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Bytes;
import dev.vireo.store.EncodingLimits;
import dev.vireo.store.Entry;
import dev.vireo.store.ZSetValue;
import dev.vireo.store.ZSetValue.Node;
import dev.vireo.store.ZSetValue.ScoreRange;
import dev.vireo.util.GeoHash;
import dev.vireo.util.GeoHash.Shape;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Geospatial indexes: sorted sets whose scores are 52-bit geohashes (see {@link GeoHash}), so every sorted-set
 * command sees them too.
 * <pre>
 * GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
 * GEOPOS key [member ...]    GEOHASH key [member ...]    GEODIST key member1 member2 [M|KM|FT|MI]
 * GEOSEARCH key FROMMEMBER member | FROMLONLAT longitude latitude  BYRADIUS radius unit | BYBOX width height unit
 *           [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
 * GEOSEARCHSTORE destination source ...the GEOSEARCH area and order... [STOREDIST]
 * GEORADIUS key longitude latitude radius unit [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
 *           [STORE key | STOREDIST key]
 * GEORADIUSBYMEMBER key member radius unit ...the GEORADIUS options...
 * GEORADIUS_RO / GEORADIUSBYMEMBER_RO: the same without STORE and STOREDIST
 * </pre>
 * GEOADD runs as the ZADD of the positions' scores and goes to replicas as that ZADD; the store variants go as
 * written.
 */
final class GeoCommands {
  private GeoCommands() {}

  static final String UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
  static final String NO_MEMBER = "ERR could not decode requested zset member";

  private static final int BY_COORDS = 1;
  private static final int BY_MEMBER = 2;
  private static final int NO_STORE = 4;
  private static final int SEARCH = 8;
  private static final int SEARCH_STORE = 16;

  private static final byte[] ZADD = Rewrites.ascii("zadd");

  static void register(CommandTable t) {
    String g = "geo";
    t.add("geoadd", -5, WRITE | DENYOOM, 1, 1, 1, g, "3.2.0",
        "Add one or more geospatial items in the geospatial index represented using a sorted set",
        GeoCommands::geoadd);
    t.add("geodist", -4, READONLY, 1, 1, 1, g, "3.2.0",
        "Returns the distance between two members of a geospatial index", GeoCommands::geodist);
    t.add("geohash", -2, READONLY, 1, 1, 1, g, "3.2.0",
        "Returns members of a geospatial index as standard geohash strings", GeoCommands::geohash);
    t.add("geopos", -2, READONLY, 1, 1, 1, g, "3.2.0",
        "Returns longitude and latitude of members of a geospatial index", GeoCommands::geopos);
    t.add("georadius", -6, WRITE | DENYOOM | MOVABLEKEYS, 1, 1, 1, g, "3.2.0",
        "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance "
            + "from a point", (c, a) -> search(c, a, 1, BY_COORDS));
    t.add("georadius_ro", -6, READONLY, 1, 1, 1, g, "3.2.10", "A read-only variant for GEORADIUS",
        (c, a) -> search(c, a, 1, BY_COORDS | NO_STORE));
    t.add("georadiusbymember", -5, WRITE | DENYOOM | MOVABLEKEYS, 1, 1, 1, g, "3.2.0",
        "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance "
            + "from a member", (c, a) -> search(c, a, 1, BY_MEMBER));
    t.add("georadiusbymember_ro", -5, READONLY, 1, 1, 1, g, "3.2.10", "A read-only variant for GEORADIUSBYMEMBER",
        (c, a) -> search(c, a, 1, BY_MEMBER | NO_STORE));
    t.add("geosearch", -7, READONLY, 1, 1, 1, g, "6.2.0",
        "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a "
            + "circle.", (c, a) -> search(c, a, 1, SEARCH));
    t.add("geosearchstore", -8, WRITE | DENYOOM, 1, 2, 1, g, "6.2.0",
        "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a "
            + "circle, and store the result in another key.", (c, a) -> search(c, a, 2, SEARCH | SEARCH_STORE));
  }

  // ---------------------------------------------------------------- arguments

  /** A float argument as Redis's getDoubleFromObject reads it, else the given error. */
  private static double number(Args a, int i, String error) {
    Double d = ZSetCommands.parseDouble(a.buf(i), a.off(i), a.len(i), false);
    if (d == null) throw new CommandError(error);
    return d;
  }

  /** Longitude at {@code i}, latitude at {@code i + 1}, within the limits a position can be stored at. */
  private static double[] lonLat(Args a, int i) {
    double lon = number(a, i, Errors.NOT_FLOAT);
    double lat = number(a, i + 1, Errors.NOT_FLOAT);
    if (lon < GeoHash.LON_MIN || lon > GeoHash.LON_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
      throw new CommandError("ERR invalid longitude,latitude pair " + fixed(lon, 6) + "," + fixed(lat, 6));
    }
    return new double[] {lon, lat};
  }

  /** Meters per unit, case-insensitively. */
  private static double unit(Args a, int i) {
    if (a.is(i, "m")) return 1;
    if (a.is(i, "km")) return 1000;
    if (a.is(i, "ft")) return 0.3048;
    if (a.is(i, "mi")) return 1609.34;
    throw new CommandError(UNIT);
  }

  /** The position of a member, or null when the set does not hold it. */
  private static double[] position(ZSetValue z, Args a, int i) {
    double score = z.score(a.buf(i), a.off(i), a.len(i));
    return Double.isNaN(score) ? null : GeoHash.decodeScore(score);
  }

  // ---------------------------------------------------------------- formatting

  /** C's {@code "%.Nf"}: the exact binary value rounded to N decimals. */
  static String fixed(double d, int decimals) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    String s = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    return negative && s.charAt(0) != '-' ? "-" + s : s;
  }

  /** Redis's human long double form: 17 decimals, trailing zeros and a trailing dot dropped, "-0" as "0". */
  static String human(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    String s = fixed(d, 17);
    int end = s.length();
    while (s.charAt(end - 1) == '0') end--;
    if (s.charAt(end - 1) == '.') end--;
    s = s.substring(0, end);
    return s.equals("-0") ? "0" : s;
  }

  /** A coordinate: a bulk string in RESP2, a double in RESP3. */
  private static void coordinate(Client c, double d) {
    String s = human(d);
    if (c.out.proto() == 3) c.out.raw(("," + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
    else c.out.bulk(s);
  }

  // ---------------------------------------------------------------- GEOADD

  static void geoadd(Client c, Args a) {
    int first = 2;
    boolean nx = false;
    boolean xx = false;
    while (first < a.count()) {
      if (a.is(first, "nx")) nx = true;
      else if (a.is(first, "xx")) xx = true;
      else if (!a.is(first, "ch")) break;
      first++;
    }
    if ((a.count() - first) % 3 != 0 || (xx && nx)) throw new CommandError(Errors.SYNTAX);
    int elements = (a.count() - first) / 3;
    byte[][] zadd = new byte[first + elements * 2][];
    zadd[0] = ZADD;
    for (int i = 1; i < first; i++) zadd[i] = a.bytes(i);
    for (int i = 0; i < elements; i++) {
      double[] xy = lonLat(a, first + i * 3);
      long bits = GeoHash.score(xy[0], xy[1]);
      zadd[first + i * 2] = Rewrites.num(bits);
      zadd[first + i * 2 + 1] = a.bytes(first + i * 3 + 2);
    }
    long dirty = c.server().dirty();
    ZSetCommands.zadd(c, Args.of(zadd), 0);
    if (c.server().dirty() != dirty) Rewrites.as(c, zadd);
  }

  // ---------------------------------------------------------------- GEOPOS / GEOHASH / GEODIST

  static void geopos(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    ZSetValue z = e == null ? null : ZSetValue.of(e);
    c.out.array(a.count() - 2);
    for (int i = 2; i < a.count(); i++) {
      double[] xy = z == null ? null : position(z, a, i);
      if (xy == null) {
        c.out.nullArray();
      } else {
        c.out.array(2);
        coordinate(c, xy[0]);
        coordinate(c, xy[1]);
      }
    }
  }

  static void geohash(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    ZSetValue z = e == null ? null : ZSetValue.of(e);
    c.out.array(a.count() - 2);
    for (int i = 2; i < a.count(); i++) {
      double[] xy = z == null ? null : position(z, a, i);
      if (xy == null) c.out.nullBulk();
      else c.out.bulk(GeoHash.standard(xy[0], xy[1]));
    }
  }

  static void geodist(Client c, Args a) {
    double toMeters = 1;
    if (a.count() == 5) toMeters = unit(a, 4);
    else if (a.count() > 5) throw new CommandError(Errors.SYNTAX);
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    double[] p1 = position(z, a, 2);
    double[] p2 = p1 == null ? null : position(z, a, 3);
    if (p2 == null) {
      c.out.nullBulk();
      return;
    }
    c.out.bulk(fixed(GeoHash.distance(p1[0], p1[1], p2[0], p2[1]) / toMeters, 4));
  }

  // ---------------------------------------------------------------- searches

  /** A member found by a search. */
  private record Found(Bytes member, double score, double lon, double lat, double dist) {}

  private static final int SORT_NONE = 0;
  private static final int SORT_ASC = 1;
  private static final int SORT_DESC = 2;

  /** GEORADIUS, GEORADIUSBYMEMBER, their _RO variants, GEOSEARCH and GEOSEARCHSTORE, as Redis's one parser. */
  static void search(Client c, Args a, int srcIdx, int flags) {
    Entry e = c.db.lookupRead(a.buf(srcIdx), a.off(srcIdx), a.len(srcIdx));
    ZSetValue z = e == null ? null : ZSetValue.of(e);

    int base;
    byte[] storeKey = null;
    boolean storeDist = false;
    double[] center = null;
    boolean box = false;
    double radius = 0;
    double width = 0;
    double height = 0;
    double conversion = 0;
    if ((flags & BY_COORDS) != 0) {
      base = 6;
      center = lonLat(a, 2);
      radius = radiusArg(a, 4);
      conversion = unit(a, 5);
    } else if ((flags & BY_MEMBER) != 0 && z == null) {
      // no source: the options are still read, to know which empty reply to give
      base = 5;
    } else if ((flags & BY_MEMBER) != 0) {
      base = 5;
      center = position(z, a, 2);
      if (center == null) throw new CommandError(NO_MEMBER);
      radius = radiusArg(a, 3);
      conversion = unit(a, 4);
    } else {
      base = 2;
      if ((flags & SEARCH_STORE) != 0) {
        base = 3;
        storeKey = a.bytes(1);
      }
    }

    boolean withDist = false;
    boolean withHash = false;
    boolean withCoord = false;
    boolean fromMember = false;
    boolean fromLoc = false;
    boolean byRadius = false;
    boolean byBox = false;
    boolean any = false;
    int sort = SORT_NONE;
    long count = 0;
    boolean search = (flags & SEARCH) != 0;
    boolean canStore = (flags & NO_STORE) == 0 && !search;
    int remaining = a.count() - base;
    for (int i = 0; i < remaining; i++) {
      int j = base + i;
      if (a.is(j, "withdist")) {
        withDist = true;
      } else if (a.is(j, "withhash")) {
        withHash = true;
      } else if (a.is(j, "withcoord")) {
        withCoord = true;
      } else if (a.is(j, "any")) {
        any = true;
      } else if (a.is(j, "asc")) {
        sort = SORT_ASC;
      } else if (a.is(j, "desc")) {
        sort = SORT_DESC;
      } else if (a.is(j, "count") && i + 1 < remaining) {
        count = a.longArg(j + 1);
        if (count <= 0) throw new CommandError("ERR COUNT must be > 0");
        i++;
      } else if (a.is(j, "store") && i + 1 < remaining && canStore) {
        storeKey = a.bytes(j + 1);
        storeDist = false;
        i++;
      } else if (a.is(j, "storedist") && i + 1 < remaining && canStore) {
        storeKey = a.bytes(j + 1);
        storeDist = true;
        i++;
      } else if (a.is(j, "storedist") && search && (flags & SEARCH_STORE) != 0) {
        storeDist = true;
      } else if (a.is(j, "frommember") && i + 1 < remaining && search && !fromLoc) {
        if (z != null) {
          center = position(z, a, j + 1);
          if (center == null) throw new CommandError(NO_MEMBER);
        }
        fromMember = true;
        i++;
      } else if (a.is(j, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
        center = lonLat(a, j + 1);
        fromLoc = true;
        i += 2;
      } else if (a.is(j, "byradius") && i + 2 < remaining && search && !byBox) {
        radius = radiusArg(a, j + 1);
        conversion = unit(a, j + 2);
        byRadius = true;
        box = false;
        i += 2;
      } else if (a.is(j, "bybox") && i + 3 < remaining && search && !byRadius) {
        width = number(a, j + 1, "ERR need numeric width");
        height = number(a, j + 2, "ERR need numeric height");
        if (height < 0 || width < 0) throw new CommandError("ERR height or width cannot be negative");
        conversion = unit(a, j + 3);
        byBox = true;
        box = true;
        i += 3;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }

    if (storeKey != null && (withDist || withHash || withCoord)) {
      throw new CommandError("ERR " + ((flags & SEARCH_STORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
          + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    }
    if (search && !(fromMember || fromLoc)) {
      throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + a.str(0));
    }
    if (search && !(byRadius || byBox)) {
      throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + a.str(0));
    }
    if (any && count == 0) throw new CommandError("ERR the ANY argument requires COUNT argument");

    if (z == null) {
      if (storeKey != null) {
        StoreResults.empty(c, storeKey);
      } else {
        c.out.array(0);
      }
      return;
    }

    if (count != 0 && sort == SORT_NONE && !any) sort = SORT_ASC;
    Shape shape = box ? Shape.box(center[0], center[1], width, height, conversion)
        : Shape.circle(center[0], center[1], radius, conversion);
    List<Found> found = collect(z, shape, any ? count : 0);

    if (found.isEmpty() && storeKey == null) {
      c.out.array(0);
      return;
    }
    int returned = count == 0 || found.size() < count ? found.size() : (int) count;
    if (sort != SORT_NONE) {
      Comparator<Found> cmp = sort == SORT_ASC ? GeoCommands::cmpAsc : (x, y) -> -cmpAsc(x, y);
      if (returned == found.size()) mergeSort(found, new ArrayList<>(found), 0, found.size(), cmp);
      else partialSort(found, 0, found.size(), cmp, 0, returned - 1);
    }

    if (storeKey == null) {
      int options = (withDist ? 1 : 0) + (withCoord ? 1 : 0) + (withHash ? 1 : 0);
      c.out.array(returned);
      for (int i = 0; i < returned; i++) {
        Found f = found.get(i);
        if (options > 0) c.out.array(options + 1);
        c.out.bulk(f.member().array());
        if (withDist) c.out.bulk(fixed(f.dist() / conversion, 4));
        if (withHash) c.out.integer((long) f.score());
        if (withCoord) {
          c.out.array(2);
          coordinate(c, f.lon());
          coordinate(c, f.lat());
        }
      }
      return;
    }

    if (returned == 0) {
      StoreResults.empty(c, storeKey);
      return;
    }
    int maxLen = 0;
    for (int i = 0; i < returned; i++) maxLen = Math.max(maxLen, found.get(i).member().length());
    EncodingLimits lim = c.server().encodingLimits;
    ZSetValue dst = new ZSetValue(returned > lim.zsetMaxListpackEntries || maxLen > lim.zsetMaxListpackValue);
    for (int i = 0; i < returned; i++) {
      Found f = found.get(i);
      dst.insert(storeDist ? f.dist() / conversion : f.score(), f.member());
    }
    c.db.put(storeKey, dst, false);
    Notify.key(c, Notify.ZSET, search ? "geosearchstore" : "georadiusstore", storeKey);
    c.server().addDirty(returned);
    c.out.integer(returned);
  }

  /** Redis's comparison of two distances: not a total order when one is not a number, so sorted by hand. */
  private static int cmpAsc(Found x, Found y) {
    if (x.dist() > y.dist()) return 1;
    if (x.dist() == y.dist()) return 0;
    return -1;
  }

  /**
   * A top-down stable merge sort of {@code list[from, to)}, halves split as the C library's qsort splits them, so
   * equal distances keep the order the cells were scanned in.
   */
  private static void mergeSort(List<Found> list, List<Found> tmp, int from, int to, Comparator<Found> cmp) {
    int n = to - from;
    if (n <= 1) return;
    int n1 = n / 2;
    int mid = from + n1;
    mergeSort(list, tmp, from, mid, cmp);
    mergeSort(list, tmp, mid, to, cmp);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      if (cmp.compare(list.get(i), list.get(j)) <= 0) tmp.set(k++, list.get(i++));
      else tmp.set(k++, list.get(j++));
    }
    while (i < mid) tmp.set(k++, list.get(i++));
    while (j < to) tmp.set(k++, list.get(j++));
    for (int x = from; x < to; x++) list.set(x, tmp.get(x));
  }

  /**
   * Puts the elements that belong at positions {@code lo..hi} of the sorted order there, in order, leaving the rest
   * partly sorted: Bentley and McIlroy's quicksort (median of three, or of nine past 40 elements, three-way
   * partition, insertion sort below 7 elements or when a pass moved nothing) that skips the parts holding none of
   * those positions. Equal distances end up in the order this partitioning leaves them, as Redis returns them when
   * COUNT cuts the result.
   */
  private static void partialSort(List<Found> a, int base, int n, Comparator<Found> cmp, int lo, int hi) {
    while (true) {
      if (n < 7) {
        insertionSort(a, base, n, cmp);
        return;
      }
      int pm = base + n / 2;
      if (n > 7) {
        int pl = base;
        int pn = base + n - 1;
        if (n > 40) {
          int d = n / 8;
          pl = median(a, pl, pl + d, pl + 2 * d, cmp);
          pm = median(a, pm - d, pm, pm + d, cmp);
          pn = median(a, pn - 2 * d, pn - d, pn, cmp);
        }
        pm = median(a, pl, pm, pn, cmp);
      }
      swap(a, base, pm);
      int pa = base + 1;
      int pb = pa;
      int pc = base + n - 1;
      int pd = pc;
      boolean swapped = false;
      while (true) {
        int r;
        while (pb <= pc && (r = cmp.compare(a.get(pb), a.get(base))) <= 0) {
          if (r == 0) {
            swapped = true;
            swap(a, pa++, pb);
          }
          pb++;
        }
        while (pb <= pc && (r = cmp.compare(a.get(pc), a.get(base))) >= 0) {
          if (r == 0) {
            swapped = true;
            swap(a, pc, pd--);
          }
          pc--;
        }
        if (pb > pc) break;
        swap(a, pb++, pc--);
        swapped = true;
      }
      if (!swapped) {
        insertionSort(a, base, n, cmp);
        return;
      }
      int end = base + n;
      int r = Math.min(pa - base, pb - pa);
      for (int i = 0; i < r; i++) swap(a, base + i, pb - r + i);
      r = Math.min(pd - pc, end - pd - 1);
      for (int i = 0; i < r; i++) swap(a, pb + i, end - r + i);
      r = pb - pa;
      if (r > 1 && reaches(base, r, lo, hi)) partialSort(a, base, r, cmp, lo, hi);
      r = pd - pc;
      if (r <= 1) return;
      base = end - r;
      n = r;
      if (!reaches(base, n, lo, hi)) return;
    }
  }

  /** Whether positions {@code from..from+n-1} hold any of {@code lo..hi}. */
  private static boolean reaches(int from, int n, int lo, int hi) {
    return !((lo < from && hi < from) || (lo >= from + n && hi >= from + n));
  }

  private static int median(List<Found> a, int x, int y, int z, Comparator<Found> cmp) {
    Found fx = a.get(x);
    Found fy = a.get(y);
    Found fz = a.get(z);
    return cmp.compare(fx, fy) < 0
        ? (cmp.compare(fy, fz) < 0 ? y : (cmp.compare(fx, fz) < 0 ? z : x))
        : (cmp.compare(fy, fz) > 0 ? y : (cmp.compare(fx, fz) < 0 ? x : z));
  }

  private static void insertionSort(List<Found> a, int base, int n, Comparator<Found> cmp) {
    for (int m = base + 1; m < base + n; m++) {
      for (int l = m; l > base && cmp.compare(a.get(l - 1), a.get(l)) > 0; l--) swap(a, l, l - 1);
    }
  }

  private static void swap(List<Found> a, int i, int j) {
    Found t = a.get(i);
    a.set(i, a.get(j));
    a.set(j, t);
  }

  private static double radiusArg(Args a, int i) {
    double r = number(a, i, "ERR need numeric radius");
    if (r < 0) throw new CommandError("ERR radius cannot be negative");
    return r;
  }

  /**
   * The members within the shape, cell after cell, each cell in score order; with a limit (COUNT ... ANY) the scan
   * stops once that many were found.
   */
  private static List<Found> collect(ZSetValue z, Shape shape, long limit) {
    List<Found> out = new ArrayList<>();
    for (double[] range : shape.ranges()) {
      if (!out.isEmpty() && limit > 0 && out.size() >= limit) break;
      ScoreRange r = new ScoreRange(range[0], false, range[1], true);
      for (Node n = z.firstIn(r); n != null && n.score < range[1]; n = n.next()) {
        double[] xy = GeoHash.decodeScore(n.score);
        double d = shape.within(xy[0], xy[1]);
        if (!(d < 0)) out.add(new Found(Bytes.wrap(n.member), n.score, xy[0], xy[1], d));
        if (!out.isEmpty() && limit > 0 && out.size() >= limit) break;
      }
    }
    return out;
  }
}
