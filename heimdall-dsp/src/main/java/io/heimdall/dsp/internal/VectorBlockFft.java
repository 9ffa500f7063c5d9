package io.heimdall.dsp.internal;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockFft} with the Vector API: sixteen frames transformed together, one frame per SIMD
 * lane, so every butterfly is a handful of full-width vector operations with broadcast twiddles
 * and no shuffles.
 *
 * <p>A real frame of n points is packed as n/2 complex points {@code z_m = x_2m + i·x_2m+1},
 * read through a transposition of the block (see {@link #transpose}) and windowed by the first
 * pass; a complex FFT of n/2 points (radix-4 decimation in frequency, ending with a twiddle-free
 * radix-2 pass when log₂(n/2) is odd) leaves Z in bit-reversed order; the last pass untangles
 * the real spectrum, {@code X_k = E_k + W_n^k·O_k} with {@code E_k = (Z_k + conj Z_{n/2−k})/2}
 * and {@code O_k = (Z_k − conj Z_{n/2−k})/2i}, and squares it. The same complex FFT serves {@link
 * #accumulateComplexPower}: interleaved complex segments of n/2 points load straight into Z.
 * Twiddles are computed in float64 and rounded once. Only loaded when the JVM has the {@code
 * jdk.incubator.vector} module (see {@link BlockFft#forSize}).
 */
public final class VectorBlockFft implements BlockFft {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = Math.min(SPECIES.length(), FRAMES);

  /**
   * Values of one hop-long piece transposed together. The tile's writes, TILE rows of about twenty
   * floats, stay in L1; 128 runs 10-15 % faster per block than 16 (a cache line), whose inner
   * loop was too short to pay for itself.
   */
  private static final int TILE = 128;

  /** Rows of a sub-transform that sit in the L1 data cache: 128 × 16 lanes × (re, im) = 16 KB. */
  private static final int CACHE_RESIDENT_ROWS = 128;

  /** Marks the last radix-2 pass (pairs of adjacent rows) in {@link #schedulePass}. */
  private static final int RADIX2 = -1;

  private final int n;
  private final int m;

  /** Per radix-4 pass (sub-transform length L = 4q): W_L^k, W_L^2k, W_L^3k for k < q. */
  private final float[][] stageTwiddles;

  /** The radix-4 passes in cache-friendly order: rows [from, to) in sub-transforms of length. */
  private final int[] scheduleFrom;

  private final int[] scheduleTo;
  private final int[] scheduleLength;
  private final int[] schedulePass;

  private final int[] bitReversed;
  private final float[] untangleCos;
  private final float[] untangleSin;

  /**
   * @return whether the preferred vector species holds at least 8 floats and divides {@value
   *     #FRAMES} (AVX2, AVX-512, wide SVE); narrower SIMD is left to the scalar path
   */
  public static boolean wideEnough() {
    return SPECIES.length() >= 8 && FRAMES % SPECIES.length() == 0;
  }

  /**
   * @param n frame length, a power of two ≥ 8
   */
  public VectorBlockFft(int n) {
    if (n < 8 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("vector FFT needs a power of two >= 8, got " + n);
    }
    this.n = n;
    this.m = n / 2;
    int log = Integer.numberOfTrailingZeros(m);
    int passes = log / 2;
    this.stageTwiddles = new float[passes][];
    int length = m;
    for (int p = 0; p < passes; p++, length /= 4) {
      int q = length / 4;
      float[] w = new float[6 * q];
      for (int k = 0; k < q; k++) {
        for (int r = 1; r <= 3; r++) {
          double angle = -2 * Math.PI * r * k / length;
          w[6 * k + 2 * (r - 1)] = (float) Math.cos(angle);
          w[6 * k + 2 * (r - 1) + 1] = (float) Math.sin(angle);
        }
      }
      stageTwiddles[p] = w;
    }
    List<int[]> steps = new ArrayList<>();
    schedule(steps, 0, m, 0, passes, log % 2 == 1);
    this.scheduleFrom = steps.stream().mapToInt(step -> step[0]).toArray();
    this.scheduleTo = steps.stream().mapToInt(step -> step[1]).toArray();
    this.scheduleLength = steps.stream().mapToInt(step -> step[2]).toArray();
    this.schedulePass = steps.stream().mapToInt(step -> step[3]).toArray();
    this.bitReversed = new int[m];
    for (int k = 0; k < m; k++) {
      bitReversed[k] = log == 0 ? 0 : Integer.reverse(k) >>> (32 - log);
    }
    this.untangleCos = new float[m];
    this.untangleSin = new float[m];
    for (int k = 0; k < m; k++) {
      double angle = 2 * Math.PI * k / n;
      untangleCos[k] = (float) Math.cos(angle);
      untangleSin[k] = (float) Math.sin(angle);
    }
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public int scratchSize(int hop) {
    return 2 * m * FRAMES + hop * transposedColumns(hop);
  }

  /**
   * Hops a block of frames spans: FRAMES − 1 between the first frame's start and the last's, plus
   * the frame.
   */
  private int transposedColumns(int hop) {
    return FRAMES - 1 + (n + hop - 1) / hop;
  }

  @Override
  public void power(
      float[] padded,
      int first,
      int hop,
      float[] window,
      float[] scratch,
      float[] power) {
    int imOffset = m * FRAMES;
    // the real frame's even samples are the real parts, its odd samples the imaginary parts
    transpose(padded, first, hop, scratch, 2 * imOffset);
    transform(scratch, imOffset, hop, window, 2);
    untangle(scratch, imOffset, power);
  }

  @Override
  public void accumulateComplexPower(
      float[] interleaved,
      int first,
      int hop,
      float[] window,
      float[] scratch,
      float[] sums) {
    int imOffset = m * FRAMES;
    transpose(interleaved, first, hop, scratch, 2 * imOffset);
    transform(scratch, imOffset, hop, window, 1);
    for (int k = 0; k < m; k++) {
      int row = bitReversed[k] * FRAMES;
      int bin = k * FRAMES;
      for (int c = 0; c < FRAMES; c += LANES) {
        FloatVector zr = FloatVector.fromArray(SPECIES, scratch, row + c);
        FloatVector zi = FloatVector.fromArray(SPECIES, scratch, imOffset + row + c);
        FloatVector.fromArray(SPECIES, sums, bin + c)
            .add(zr.mul(zr).add(zi.mul(zi)))
            .intoArray(sums, bin + c);
      }
    }
  }

  @Override
  public void bandSums(
      float[] power,
      int[] firstBin,
      int[] weightOffset,
      float[] weights,
      float[] dest,
      int destOffset,
      int destStride) {
    for (int b = 0; b < firstBin.length; b++) {
      int o = destOffset + b * destStride;
      for (int c = 0; c < FRAMES; c += LANES) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int p = firstBin[b] * FRAMES + c;
        for (int w = weightOffset[b]; w < weightOffset[b + 1]; w++, p += FRAMES) {
          sum = sum.add(FloatVector.fromArray(SPECIES, power, p).mul(weights[w]));
        }
        sum.intoArray(dest, o + c);
      }
    }
  }

  /**
   * The complex FFT of m points in every lane, windowed on the way in; leaves Z in bit-reversed
   * rows: the passes in the order {@link #schedule} worked out once for this size. The first pass
   * reads the transposition {@link #transpose} wrote.
   */
  private void transform(float[] s, int im, int hop, float[] window, int windowStride) {
    // the schedule's step 0 is always the first radix-4 pass over rows [0, m): done here, from
    // the transposition
    firstRadix4(s, im, hop, window, windowStride);
    for (int step = 1; step < schedulePass.length; step++) {
      int pass = schedulePass[step];
      if (pass == RADIX2) {
        radix2(s, im, scheduleFrom[step], scheduleTo[step]);
      } else {
        radix4(
            s,
            im,
            scheduleFrom[step],
            scheduleTo[step],
            scheduleLength[step],
            stageTwiddles[pass]);
      }
    }
  }

  /**
   * Appends the passes from {@code pass} on for the sub-transform of {@code length} rows at {@code
   * start}: the radix-4 passes, then the radix-2 pass when log₂ m is odd. Depth first while a
   * sub-transform is larger than {@link #CACHE_RESIDENT_ROWS}: after one pass its four quarters
   * are independent, and each is finished while it sits in the L1 cache instead of streaming the
   * whole block through L2 once per pass.
   */
  private static void schedule(
      List<int[]> steps, int start, int length, int pass, int passes, boolean radix2Last) {
    int end = start + length;
    if (pass < passes && length > CACHE_RESIDENT_ROWS) {
      steps.add(new int[] {start, end, length, pass});
      int quarter = length / 4;
      for (int k = 0; k < 4; k++) {
        schedule(steps, start + k * quarter, quarter, pass + 1, passes, radix2Last);
      }
      return;
    }
    for (int p = pass; p < passes; p++, length /= 4) {
      steps.add(new int[] {start, end, length, p});
    }
    if (radix2Last) {
      steps.add(new int[] {start, end, 2, RADIX2});
    }
  }

  /**
   * Cuts the block's extent into hop-long pieces and transposes them, {@code T[b·columns + a] =
   * x[first + a·hop + b]}, after the FFT's rows in {@code s}.
   *
   * <p>Lane j of the FFT reads float f of frame j at {@code first + j·hop + f}: sixteen values a
   * hop apart, which would take a gather per row. In the transposition they are {@code T[(f mod
   * hop)·columns + f/hop + j]}, one contiguous load. Frames overlap (four times for the mel
   * spectrogram), so the transposition moves each sample once where the gathers read it once per
   * frame.
   */
  private void transpose(float[] x, int first, int hop, float[] s, int transposed) {
    int columns = transposedColumns(hop);
    int extent = (FRAMES - 1) * hop + n;
    // in tiles of TILE pieces' worth of b: the tile's reads (TILE floats per piece) and writes
    // (TILE rows of `columns` floats) both stay in L1, where a whole piece at a time would write a
    // hop of rows, and a whole row at a time would read `columns` lines a hop apart
    for (int tile = 0; tile < hop; tile += TILE) {
      int tileEnd = Math.min(hop, tile + TILE);
      for (int a = 0, from = first; a < columns; a++, from += hop) {
        int end = Math.min(tileEnd, extent - a * hop);
        for (int b = tile, to = transposed + tile * columns + a; b < end; b++, to += columns) {
          s[to] = x[from + b];
        }
      }
    }
  }

  /**
   * The radix-2 pass that ends the transform when log₂ m is odd: adjacent rows in [from, to), whose
   * twiddle is 1.
   */
  private static void radix2(float[] s, int im, int from, int to) {
    for (int row = from; row < to; row += 2) {
      int a = row * FRAMES;
      int b = a + FRAMES;
      for (int c = 0; c < FRAMES; c += LANES) {
        FloatVector ar = FloatVector.fromArray(SPECIES, s, a + c);
        FloatVector ai = FloatVector.fromArray(SPECIES, s, im + a + c);
        FloatVector br = FloatVector.fromArray(SPECIES, s, b + c);
        FloatVector bi = FloatVector.fromArray(SPECIES, s, im + b + c);
        ar.add(br).intoArray(s, a + c);
        ai.add(bi).intoArray(s, im + a + c);
        ar.sub(br).intoArray(s, b + c);
        ai.sub(bi).intoArray(s, im + b + c);
      }
    }
  }

  /**
   * The first radix-4 pass, over all m rows: row i comes from the transposition, real part {@code
   * x[2i]·w[stride·i]} and imaginary part {@code x[2i+1]·w[stride·i + stride − 1]} of every frame
   * (a real frame, stride 2, is windowed sample by sample; a complex segment, stride 1, point by
   * point). Reading there instead of copying the windowed rows first saves a pass over the block;
   * the butterfly is {@link #radix4}'s, which cannot be shared through a method: the JIT does not
   * inline one that large, and its vectors would be boxed.
   */
  private void firstRadix4(float[] s, int im, int hop, float[] window, int windowStride) {
    float[] w = stageTwiddles[0];
    int q = m / 4;
    int columns = transposedColumns(hop);
    int last = windowStride - 1;
    // per input row k + p·q: where its real part sits in the transposition, and 2(k + p·q) mod
    // hop, both advanced two floats per k without dividing
    int rem0 = 0;
    int rem1 = 2 * q % hop;
    int rem2 = 4 * q % hop;
    int rem3 = 6 * q % hop;
    int at0 = 2 * im;
    int at1 = at0 + rem1 * columns + 2 * q / hop;
    int at2 = at0 + rem2 * columns + 4 * q / hop;
    int at3 = at0 + rem3 * columns + 6 * q / hop;
    for (int k = 0; k < q; k++) {
      float w1r = w[6 * k];
      float w1i = w[6 * k + 1];
      float w2r = w[6 * k + 2];
      float w2i = w[6 * k + 3];
      float w3r = w[6 * k + 4];
      float w3i = w[6 * k + 5];
      int i0 = windowStride * k;
      int i1 = windowStride * (k + q);
      int i2 = windowStride * (k + 2 * q);
      int i3 = windowStride * (k + 3 * q);
      float g0r = window[i0];
      float g0i = window[i0 + last];
      float g1r = window[i1];
      float g1i = window[i1 + last];
      float g2r = window[i2];
      float g2i = window[i2 + last];
      float g3r = window[i3];
      float g3i = window[i3 + last];
      int im0 = imaginaryAt(at0, rem0, hop, columns);
      int im1 = imaginaryAt(at1, rem1, hop, columns);
      int im2 = imaginaryAt(at2, rem2, hop, columns);
      int im3 = imaginaryAt(at3, rem3, hop, columns);
      int r0 = k * FRAMES;
      int r1 = r0 + q * FRAMES;
      int r2 = r1 + q * FRAMES;
      int r3 = r2 + q * FRAMES;
      for (int c = 0; c < FRAMES; c += LANES) {
        FloatVector a0r = FloatVector.fromArray(SPECIES, s, at0 + c).mul(g0r);
        FloatVector a0i = FloatVector.fromArray(SPECIES, s, im0 + c).mul(g0i);
        FloatVector a1r = FloatVector.fromArray(SPECIES, s, at1 + c).mul(g1r);
        FloatVector a1i = FloatVector.fromArray(SPECIES, s, im1 + c).mul(g1i);
        FloatVector a2r = FloatVector.fromArray(SPECIES, s, at2 + c).mul(g2r);
        FloatVector a2i = FloatVector.fromArray(SPECIES, s, im2 + c).mul(g2i);
        FloatVector a3r = FloatVector.fromArray(SPECIES, s, at3 + c).mul(g3r);
        FloatVector a3i = FloatVector.fromArray(SPECIES, s, im3 + c).mul(g3i);
        FloatVector t0r = a0r.add(a2r);
        FloatVector t0i = a0i.add(a2i);
        FloatVector t1r = a0r.sub(a2r);
        FloatVector t1i = a0i.sub(a2i);
        FloatVector t2r = a1r.add(a3r);
        FloatVector t2i = a1i.add(a3i);
        FloatVector t3r = a1i.sub(a3i);
        FloatVector t3i = a3r.sub(a1r);
        t0r.add(t2r).intoArray(s, r0 + c);
        t0i.add(t2i).intoArray(s, im + r0 + c);
        FloatVector ur = t0r.sub(t2r);
        FloatVector ui = t0i.sub(t2i);
        ur.mul(w2r).sub(ui.mul(w2i)).intoArray(s, r1 + c);
        ur.mul(w2i).add(ui.mul(w2r)).intoArray(s, im + r1 + c);
        FloatVector vr = t1r.add(t3r);
        FloatVector vi = t1i.add(t3i);
        vr.mul(w1r).sub(vi.mul(w1i)).intoArray(s, r2 + c);
        vr.mul(w1i).add(vi.mul(w1r)).intoArray(s, im + r2 + c);
        FloatVector xr = t1r.sub(t3r);
        FloatVector xi = t1i.sub(t3i);
        xr.mul(w3r).sub(xi.mul(w3i)).intoArray(s, r3 + c);
        xr.mul(w3i).add(xi.mul(w3r)).intoArray(s, im + r3 + c);
      }
      // two floats on: two rows down, or past the piece's end into the next column
      for (rem0 += 2, at0 += 2 * columns; rem0 >= hop; rem0 -= hop) {
        at0 += 1 - hop * columns;
      }
      for (rem1 += 2, at1 += 2 * columns; rem1 >= hop; rem1 -= hop) {
        at1 += 1 - hop * columns;
      }
      for (rem2 += 2, at2 += 2 * columns; rem2 >= hop; rem2 -= hop) {
        at2 += 1 - hop * columns;
      }
      for (rem3 += 2, at3 += 2 * columns; rem3 >= hop; rem3 -= hop) {
        at3 += 1 - hop * columns;
      }
    }
  }

  /**
   * One radix-4 decimation-in-frequency pass over the sub-transforms of {@code length} points in
   * rows [from, to): two radix-2 passes merged, so the output stays in bit-reversed order.
   */
  private void radix4(float[] s, int im, int from, int to, int length, float[] w) {
    int q = length / 4;
    for (int group = from; group < to; group += length) {
      for (int k = 0; k < q; k++) {
        float w1r = w[6 * k];
        float w1i = w[6 * k + 1];
        float w2r = w[6 * k + 2];
        float w2i = w[6 * k + 3];
        float w3r = w[6 * k + 4];
        float w3i = w[6 * k + 5];
        int r0 = (group + k) * FRAMES;
        int r1 = r0 + q * FRAMES;
        int r2 = r1 + q * FRAMES;
        int r3 = r2 + q * FRAMES;
        for (int c = 0; c < FRAMES; c += LANES) {
          FloatVector a0r = FloatVector.fromArray(SPECIES, s, r0 + c);
          FloatVector a0i = FloatVector.fromArray(SPECIES, s, im + r0 + c);
          FloatVector a1r = FloatVector.fromArray(SPECIES, s, r1 + c);
          FloatVector a1i = FloatVector.fromArray(SPECIES, s, im + r1 + c);
          FloatVector a2r = FloatVector.fromArray(SPECIES, s, r2 + c);
          FloatVector a2i = FloatVector.fromArray(SPECIES, s, im + r2 + c);
          FloatVector a3r = FloatVector.fromArray(SPECIES, s, r3 + c);
          FloatVector a3i = FloatVector.fromArray(SPECIES, s, im + r3 + c);
          FloatVector t0r = a0r.add(a2r);
          FloatVector t0i = a0i.add(a2i);
          FloatVector t1r = a0r.sub(a2r);
          FloatVector t1i = a0i.sub(a2i);
          FloatVector t2r = a1r.add(a3r);
          FloatVector t2i = a1i.add(a3i);
          // t3 = -i·(a1 − a3)
          FloatVector t3r = a1i.sub(a3i);
          FloatVector t3i = a3r.sub(a1r);
          t0r.add(t2r).intoArray(s, r0 + c);
          t0i.add(t2i).intoArray(s, im + r0 + c);
          FloatVector ur = t0r.sub(t2r);
          FloatVector ui = t0i.sub(t2i);
          ur.mul(w2r).sub(ui.mul(w2i)).intoArray(s, r1 + c);
          ur.mul(w2i).add(ui.mul(w2r)).intoArray(s, im + r1 + c);
          FloatVector vr = t1r.add(t3r);
          FloatVector vi = t1i.add(t3i);
          vr.mul(w1r).sub(vi.mul(w1i)).intoArray(s, r2 + c);
          vr.mul(w1i).add(vi.mul(w1r)).intoArray(s, im + r2 + c);
          FloatVector xr = t1r.sub(t3r);
          FloatVector xi = t1i.sub(t3i);
          xr.mul(w3r).sub(xi.mul(w3i)).intoArray(s, r3 + c);
          xr.mul(w3i).add(xi.mul(w3r)).intoArray(s, im + r3 + c);
        }
      }
    }
  }

  /**
   * Where the float after the one at {@code at} (f mod hop = {@code rem}) sits in the
   * transposition.
   */
  private static int imaginaryAt(int at, int rem, int hop, int columns) {
    return rem + 1 < hop ? at + columns : at - rem * columns + 1;
  }

  /** The real spectrum from Z (bit-reversed rows), squared, into the bin-major block. */
  private void untangle(float[] s, int im, float[] power) {
    for (int c = 0; c < FRAMES; c += LANES) {
      FloatVector zr = FloatVector.fromArray(SPECIES, s, c);
      FloatVector zi = FloatVector.fromArray(SPECIES, s, im + c);
      FloatVector dc = zr.add(zi);
      FloatVector nyquist = zr.sub(zi);
      dc.mul(dc).intoArray(power, c);
      nyquist.mul(nyquist).intoArray(power, m * FRAMES + c);
    }
    // bins k and m − k read the same two rows (Z_k and Z_{m−k}, swapped): both from one pair of
    // loads, since the rows sit in bit-reversed order and every read is a cache miss
    for (int k = 1; k <= m / 2; k++) {
      int a = bitReversed[k] * FRAMES;
      int b = bitReversed[m - k] * FRAMES;
      float cos = untangleCos[k];
      float sin = untangleSin[k];
      float mirrorCos = untangleCos[m - k];
      float mirrorSin = untangleSin[m - k];
      for (int c = 0; c < FRAMES; c += LANES) {
        FloatVector ar = FloatVector.fromArray(SPECIES, s, a + c);
        FloatVector ai = FloatVector.fromArray(SPECIES, s, im + a + c);
        FloatVector br = FloatVector.fromArray(SPECIES, s, b + c);
        FloatVector bi = FloatVector.fromArray(SPECIES, s, im + b + c);
        // 2E = A + conj B, 2O = (A − conj B)/i; 2X = 2E + W^k·2O with W^k = cos − i·sin
        FloatVector er = ar.add(br);
        FloatVector ei = ai.sub(bi);
        FloatVector or = ai.add(bi);
        FloatVector oi = br.sub(ar);
        FloatVector xr = er.add(or.mul(cos)).add(oi.mul(sin));
        FloatVector xi = ei.add(oi.mul(cos)).sub(or.mul(sin));
        xr.mul(xr).add(xi.mul(xi)).mul(0.25f).intoArray(power, k * FRAMES + c);
        if (k < m - k) {
          // swapping A and B keeps 2E's real part and 2O's, and negates both imaginary parts
          FloatVector yr = er.add(or.mul(mirrorCos)).sub(oi.mul(mirrorSin));
          FloatVector yi = ei.add(oi.mul(mirrorCos)).neg().sub(or.mul(mirrorSin));
          yr.mul(yr).add(yi.mul(yi)).mul(0.25f).intoArray(power, (m - k) * FRAMES + c);
        }
      }
    }
  }
}
