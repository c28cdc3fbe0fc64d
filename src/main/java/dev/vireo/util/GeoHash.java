package dev.vireo.util;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The geohash arithmetic of Redis's geo commands: a position is a 52-bit integer (26 bits of latitude and 26 of
 * longitude interleaved, latitude on the even bits) within the Web Mercator limits, stored as a sorted set score.
 * A search covers its area with the cell holding the centre and that cell's eight neighbours, at a precision
 * estimated from the radius; members are then filtered by their haversine distance (or by the box).
 *
 * <p>Arithmetic follows Redis 7.0 step by step, including its unsigned 32- and 64-bit wrap-arounds, so that the
 * same members are found, in the same order, with the same printed digits.
 */
public final class GeoHash {
  private GeoHash() {}

  public static final double LON_MIN = -180;
  public static final double LON_MAX = 180;
  public static final double LAT_MIN = -85.05112878;
  public static final double LAT_MAX = 85.05112878;
  /** The precision of a stored position: 26 steps, 52 bits. */
  public static final int STEP_MAX = 26;

  static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
  static final double MERCATOR_MAX = 20037726.37;
  static final double D_R = Math.PI / 180.0;

  private static final char[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();

  // ---------------------------------------------------------------- bits

  /** Spreads the low 32 bits of x over the even bits of the result. */
  private static long spread(long x) {
    x &= 0xFFFFFFFFL;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x << 2)) & 0x3333333333333333L;
    x = (x | (x << 1)) & 0x5555555555555555L;
    return x;
  }

  /** Gathers the even bits of x into the low 32 bits. */
  private static long squash(long x) {
    x &= 0x5555555555555555L;
    x = (x | (x >>> 1)) & 0x3333333333333333L;
    x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
    x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
    x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
    return x;
  }

  /** A double in [0, 2^32) converted to a C {@code uint32_t} (truncated). */
  private static long uint32(double d) {
    return ((long) d) & 0xFFFFFFFFL;
  }

  /**
   * A score converted to a C {@code uint64_t} as x86-64 code does it: values from 2^63 have 2^63 taken off before
   * the signed conversion, and a conversion out of range gives 2^63.
   */
  public static long bitsOf(double score) {
    if (score >= 0x1p63) {
      double d = score - 0x1p63;
      long v = d >= 0x1p63 || Double.isNaN(d) ? Long.MIN_VALUE : (long) d;
      return v ^ Long.MIN_VALUE;
    }
    if (Double.isNaN(score) || score < -0x1p63) return Long.MIN_VALUE;
    return (long) score;
  }

  /** A 64-bit pattern as a C {@code double} conversion of a {@code uint64_t} gives it. */
  private static double unsignedToDouble(long v) {
    if (v >= 0) return (double) v;
    // round half to even on the low bit, as the hardware conversion does
    double d = (double) ((v >>> 1) | (v & 1));
    return d * 2;
  }

  // ---------------------------------------------------------------- encode / decode

  /**
   * The hash of a position at {@code step} bits per coordinate within the given ranges, or -1 when the position
   * lies outside them or outside the Mercator limits.
   */
  public static long encode(double lonMin, double lonMax, double latMin, double latMax, double lon, double lat,
      int step) {
    if (step > 32 || step == 0 || latMax - latMin == 0 || lonMax - lonMin == 0) return -1;
    if (lon > LON_MAX || lon < LON_MIN || lat > LAT_MAX || lat < LAT_MIN) return -1;
    if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) return -1;
    double latOffset = (lat - latMin) / (latMax - latMin);
    double lonOffset = (lon - lonMin) / (lonMax - lonMin);
    latOffset *= (double) (1L << step);
    lonOffset *= (double) (1L << step);
    return spread(uint32(latOffset)) | (spread(uint32(lonOffset)) << 1);
  }

  /** The hash of a position within the stored ranges (Mercator latitudes), or -1 outside them. */
  public static long encode(double lon, double lat, int step) {
    return encode(LON_MIN, LON_MAX, LAT_MIN, LAT_MAX, lon, lat, step);
  }

  /** A position's score: its 26-step hash aligned to 52 bits. */
  public static long score(double lon, double lat) {
    long h = encode(lon, lat, STEP_MAX);
    return h < 0 ? -1 : align52(h, STEP_MAX);
  }

  /** The cell a hash names: {lonMin, lonMax, latMin, latMax}, in the stored ranges. */
  public static double[] area(long bits, int step) {
    return area(LON_MIN, LON_MAX, LAT_MIN, LAT_MAX, bits, step);
  }

  static double[] area(double lonMin, double lonMax, double latMin, double latMax, long bits, int step) {
    long lat = squash(bits);
    long lon = squash(bits >>> 1);
    double latScale = latMax - latMin;
    double lonScale = lonMax - lonMin;
    double cells = (double) (1L << step);
    long lat1 = (lat + 1) & 0xFFFFFFFFL;
    long lon1 = (lon + 1) & 0xFFFFFFFFL;
    return new double[] {
      lonMin + (lon * 1.0 / cells) * lonScale,
      lonMin + (lon1 * 1.0 / cells) * lonScale,
      latMin + (lat * 1.0 / cells) * latScale,
      latMin + (lat1 * 1.0 / cells) * latScale
    };
  }

  /** The position a score stands for: the centre of its cell, kept within the limits. {lon, lat}. */
  public static double[] decodeScore(double score) {
    double[] a = area(bitsOf(score), STEP_MAX);
    double lon = (a[0] + a[1]) / 2;
    if (lon > LON_MAX) lon = LON_MAX;
    if (lon < LON_MIN) lon = LON_MIN;
    double lat = (a[2] + a[3]) / 2;
    if (lat > LAT_MAX) lat = LAT_MAX;
    if (lat < LAT_MIN) lat = LAT_MIN;
    return new double[] {lon, lat};
  }

  /** The standard 11-character geohash of a position (re-encoded over latitudes ±90, last character 0). */
  public static String standard(double lon, double lat) {
    long bits = encode(-180, 180, -90, 90, lon, lat, STEP_MAX);
    if (bits < 0) bits = 0;
    char[] out = new char[11];
    for (int i = 0; i < 11; i++) {
      int idx = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
      out[i] = BASE32[idx];
    }
    return new String(out);
  }

  public static long align52(long bits, int step) {
    return bits << (52 - step * 2);
  }

  // ---------------------------------------------------------------- neighbours

  /** Longitude bits of an interleaved hash (the odd positions) and latitude bits (the even ones). */
  private static final long LON_BITS = 0xaaaaaaaaaaaaaaaaL;
  private static final long LAT_BITS = 0x5555555555555555L;

  private static long moveX(long bits, int step, int d) {
    return move(bits, step, d, LON_BITS, LAT_BITS);
  }

  private static long moveY(long bits, int step, int d) {
    return move(bits, step, d, LAT_BITS, LON_BITS);
  }

  /**
   * The neighbouring cell {@code d} (-1, 0 or 1) steps away along the coordinate whose bits are {@code mine}: that
   * coordinate's bits are added to or subtracted from with the other coordinate's positions filled, so the carry
   * runs across them, then masked back to {@code step} bits.
   */
  private static long move(long bits, int step, int d, long mine, long theirs) {
    if (d == 0) return bits;
    long v = bits & mine;
    long zz = theirs >>> (64 - step * 2);
    v = d > 0 ? v + (zz + 1) : (v | zz) - (zz + 1);
    v &= mine >>> (64 - step * 2);
    return v | (bits & theirs);
  }

  // ---------------------------------------------------------------- distances

  private static double rad(double deg) {
    return deg * D_R;
  }

  private static double deg(double rad) {
    return rad / D_R;
  }

  /**
   * The haversine distance in meters between two positions. Sines, cosines and the arc sine are rounded to the
   * nearest double, as the C library rounds them (Java's portable versions are off by one unit in a few percent of
   * the cases, which would show in the 17 digits of a stored distance).
   */
  public static double distance(double lon1, double lat1, double lon2, double lat2) {
    return distance(lon1, lat1, Double.NaN, lon2, lat2);
  }

  /** The same, given the cosine of the first latitude when already known (NaN: not known). */
  private static double distance(double lon1, double lat1, double cosLat1, double lon2, double lat2) {
    double lat1r = rad(lat1);
    double lon1r = rad(lon1);
    double lat2r = rad(lat2);
    double lon2r = rad(lon2);
    double u = sin((lat2r - lat1r) / 2);
    double v = sin((lon2r - lon1r) / 2);
    // with equal longitudes the cosines are multiplied by zero: the sum is u * u whatever they are
    if (v == 0) return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(u * u + 0.0));
    double c1 = Double.isNaN(cosLat1) ? cos(lat1r) : cosLat1;
    return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(u * u + c1 * cos(lat2r) * v * v));
  }

  /** sin(x) rounded to nearest, for the arguments a distance needs (|x| up to pi); beyond, StrictMath's. */
  static double sin(double x) {
    if (!(Math.abs(x) < 4)) return StrictMath.sin(x);
    double[] r = series(x, true);
    return r[0];
  }

  /** cos(x) rounded to nearest, for |x| up to pi; beyond, StrictMath's. */
  static double cos(double x) {
    if (!(Math.abs(x) < 4)) return StrictMath.cos(x);
    double[] r = series(x, false);
    return r[0];
  }

  /**
   * The arc sine rounded to nearest: one Newton step from StrictMath's value, with the sine of that value taken in
   * double-double precision.
   */
  static double asin(double s) {
    double t = StrictMath.asin(s);
    if (!(Math.abs(s) < 1) || t == 0) return t;
    double[] sin = series(t, true);
    double r = (sin[0] - s) + sin[1];
    return t - r / StrictMath.cos(t);
  }

  /** Taylor coefficients (-1)^k / (2k+1)! (sine) and (-1)^k / (2k)! (cosine) as double-doubles {hi, lo}. */
  private static final int TERMS = 24;
  private static final double[] SIN_HI = new double[TERMS];
  private static final double[] SIN_LO = new double[TERMS];
  private static final double[] COS_HI = new double[TERMS];
  private static final double[] COS_LO = new double[TERMS];

  static {
    BigDecimal factorial = BigDecimal.ONE;
    MathContext mc = new MathContext(60);
    for (int n = 0; n < 2 * TERMS; n++) {
      if (n > 0) factorial = factorial.multiply(BigDecimal.valueOf(n));
      BigDecimal c = BigDecimal.ONE.divide(factorial, mc);
      if ((n / 2) % 2 == 1) c = c.negate();
      double hi = c.doubleValue();
      double lo = c.subtract(new BigDecimal(hi)).doubleValue();
      if (n % 2 == 0) {
        COS_HI[n / 2] = hi;
        COS_LO[n / 2] = lo;
      } else {
        SIN_HI[n / 2] = hi;
        SIN_LO[n / 2] = lo;
      }
    }
  }

  /**
   * sin(x) (or cos(x)) for |x| < 4 by its Taylor polynomial evaluated in double-double arithmetic, as an unevaluated
   * sum {hi, lo}: hi is the value rounded to nearest, lo what remains, to about 2^-100 of the value.
   */
  static double[] series(double x, boolean sine) {
    double[] ch = sine ? SIN_HI : COS_HI;
    double[] cl = sine ? SIN_LO : COS_LO;
    // fewer terms suffice below 1.6 (the last one left out is under 2^-110 either way)
    int n = Math.abs(x) < 1.6 ? 18 : TERMS;
    double x2h = x * x;
    double x2l = Math.fma(x, x, -x2h);
    double ph = ch[n - 1];
    double pl = cl[n - 1];
    for (int k = n - 2; k >= 0; k--) {
      // p = p * x^2
      double mh = ph * x2h;
      double ml = Math.fma(ph, x2h, -mh) + (ph * x2l + pl * x2h);
      ph = mh + ml;
      pl = ml - (ph - mh);
      // p = p + c[k]
      double sh = ph + ch[k];
      double v = sh - ph;
      double sl = ((ph - (sh - v)) + (ch[k] - v)) + (pl + cl[k]);
      ph = sh + sl;
      pl = sl - (ph - sh);
    }
    if (sine) {
      // p = p * x
      double mh = ph * x;
      double ml = Math.fma(ph, x, -mh) + pl * x;
      ph = mh + ml;
      pl = ml - (ph - mh);
    }
    return new double[] {ph, pl};
  }

  /** The precision of the search cells for a radius in meters around a latitude. */
  static int estimateSteps(double rangeMeters, double lat) {
    if (rangeMeters == 0) return 26;
    int step = 1;
    while (rangeMeters < MERCATOR_MAX) {
      rangeMeters *= 2;
      step++;
    }
    step -= 2;
    if (lat > 66 || lat < -66) {
      step--;
      if (lat > 80 || lat < -80) step--;
    }
    if (step < 1) step = 1;
    if (step > 26) step = 26;
    return step;
  }

  // ---------------------------------------------------------------- search shapes

  /**
   * A search area: a circle of {@code radius}, or a box of {@code width} by {@code height}, in the unit given by
   * {@code conversion} (meters per unit), around {@code lon}/{@code lat}.
   */
  public static final class Shape {
    public final double lon;
    public final double lat;
    public final boolean box;
    public final double radius;
    public final double width;
    public final double height;
    public final double conversion;
    /** cos of the centre's latitude, computed on first use. */
    private double cosLat = Double.NaN;

    private Shape(double lon, double lat, boolean box, double radius, double width, double height,
        double conversion) {
      this.lon = lon;
      this.lat = lat;
      this.box = box;
      this.radius = radius;
      this.width = width;
      this.height = height;
      this.conversion = conversion;
    }

    public static Shape circle(double lon, double lat, double radius, double conversion) {
      return new Shape(lon, lat, false, radius, 0, 0, conversion);
    }

    public static Shape box(double lon, double lat, double width, double height, double conversion) {
      return new Shape(lon, lat, true, 0, width, height, conversion);
    }

    /**
     * The distance in meters from the centre when the position lies in the shape, else -1. As in Redis, a distance
     * that is not a number (rounding past an antipode) does not exclude the position.
     */
    public double within(double x, double y) {
      if (!box) {
        if (Double.isNaN(cosLat)) cosLat = cos(rad(lat));
        double d = distance(lon, lat, cosLat, x, y);
        return d > radius * conversion ? -1 : d;
      }
      double widthM = width * conversion;
      double heightM = height * conversion;
      double lonDistance = distance(x, y, lon, y);
      double latDistance = distance(x, y, x, lat);
      if (lonDistance > widthM / 2 || latDistance > heightM / 2) return -1;
      return distance(lon, lat, x, y);
    }

    /**
     * The score ranges to scan, in order: the centre cell, then north, south, east, west, north-east, north-west,
     * south-east and south-west, without the cells the area cannot reach and without a cell equal to the one
     * scanned just before it. Each range is {min inclusive, max exclusive}.
     */
    public double[][] ranges() {
      double h = conversion * (box ? height / 2 : radius);
      double w = conversion * (box ? width / 2 : radius);
      double latDelta = deg(h / EARTH_RADIUS_IN_METERS);
      double lonDeltaTop = deg(w / EARTH_RADIUS_IN_METERS / cos(rad(lat + latDelta)));
      double lonDeltaBottom = deg(w / EARTH_RADIUS_IN_METERS / cos(rad(lat - latDelta)));
      boolean south = lat < 0;
      double minLon = south ? lon - lonDeltaBottom : lon - lonDeltaTop;
      double maxLon = south ? lon + lonDeltaBottom : lon + lonDeltaTop;
      double minLat = lat - latDelta;
      double maxLat = lat + latDelta;

      double radiusMeters = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
      radiusMeters *= conversion;
      int steps = estimateSteps(radiusMeters, lat);
      long hash = encode(lon, lat, steps);
      long[] n = neighbours(hash, steps);
      double[] north = area(n[0], steps);
      double[] southCell = area(n[1], steps);
      double[] east = area(n[2], steps);
      double[] west = area(n[3], steps);
      boolean decrease = north[3] < maxLat || southCell[2] > minLat || east[1] < maxLon || west[0] > minLon;
      if (steps > 1 && decrease) {
        steps--;
        hash = encode(lon, lat, steps);
        n = neighbours(hash, steps);
      }
      double[] a = area(hash, steps);
      // cells in scan order: self, N, S, E, W, NE, NW, SE, SW; n is {N, S, E, W, NE, NW, SE, SW}
      long[] cells = {hash, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]};
      boolean[] zero = new boolean[9];
      if (steps >= 2) {
        if (a[2] < minLat) zero[2] = zero[8] = zero[7] = true;
        if (a[3] > maxLat) zero[1] = zero[5] = zero[6] = true;
        if (a[0] < minLon) zero[4] = zero[8] = zero[6] = true;
        if (a[1] > maxLon) zero[3] = zero[7] = zero[5] = true;
      }
      double[][] out = new double[9][];
      int count = 0;
      int last = 0;
      for (int i = 0; i < 9; i++) {
        if (zero[i]) continue;
        if (last != 0 && cells[i] == cells[last]) continue;
        out[count++] = new double[] {
          unsignedToDouble(align52(cells[i], steps)), unsignedToDouble(align52(cells[i] + 1, steps))
        };
        last = i;
      }
      double[][] r = new double[count][];
      System.arraycopy(out, 0, r, 0, count);
      return r;
    }
  }

  /** The eight neighbours of a cell: {N, S, E, W, NE, NW, SE, SW}. */
  static long[] neighbours(long hash, int step) {
    return new long[] {
      moveY(hash, step, 1),
      moveY(hash, step, -1),
      moveX(hash, step, 1),
      moveX(hash, step, -1),
      moveY(moveX(hash, step, 1), step, 1),
      moveY(moveX(hash, step, -1), step, 1),
      moveY(moveX(hash, step, 1), step, -1),
      moveY(moveX(hash, step, -1), step, -1)
    };
  }
}
