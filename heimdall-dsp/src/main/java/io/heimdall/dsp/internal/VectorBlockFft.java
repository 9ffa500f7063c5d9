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
 * windowed on the way in and read through a transposition of the block (see {@link #load}); a
 * complex FFT of n/2 points (radix-4 decimation in frequency, one radix-2 pass first when
 * log₂(n/2) is odd) leaves Z in bit-reversed order; the last pass untangles the real spectrum,
 * {@code X_k = E_k + W_n^k·O_k} with {@code E_k = (Z_k + conj Z_{n/2−k})/2} and {@code O_k = (Z_k
 * − conj Z_{n/2−k})/2i}, and squares it. The same complex FFT serves {@link
 * #accumulateComplexPower}: interleaved complex segments of n/2 points load straight into Z.
 * Twiddles are computed in float64 and rounded once. Only loaded when the JVM has the {@code
 * jdk.incubator.vector} module (see {@link BlockFft#forSize}).
 */
public final class VectorBlockFft implements BlockFft {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = Math.min(SPECIES.length(), FRAMES);

  /** Values of one hop-long piece transposed together: a cache line of floats. */
  private static final int TILE = 16;

  /** Rows of a sub-transform that sit in the L1 data cache: 128 × 16 lanes × (re, im) = 16 KB. */
  private static final int CACHE_RESIDENT_ROWS = 128;

  private final int n;
  private final int m;
  private final boolean radix2First;
  private final float[] radix2Re;
  private final float[] radix2Im;

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
    this.radix2First = log % 2 == 1;
    this.radix2Re = new float[m / 2];
    this.radix2Im = new float[m / 2];
    for (int k = 0; k < m / 2; k++) {
      double angle = -2 * Math.PI * k / m;
      radix2Re[k] = (float) Math.cos(angle);
      radix2Im[k] = (float) Math.sin(angle);
    }
    int passes = log / 2;
    this.stageTwiddles = new float[passes][];
    int length = radix2First ? m / 2 : m;
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
    int subTransforms = radix2First ? 2 : 1;
    for (int t = 0; t < subTransforms; t++) {
      schedule(steps, t * (m / subTransforms), m / subTransforms, 0, passes);
    }
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
    load(padded, first, hop, window, 2, scratch, imOffset);
    transform(scratch, imOffset);
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
    load(interleaved, first, hop, window, 1, scratch, imOffset);
    transform(scratch, imOffset);
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
   * The complex FFT of m points in every lane; leaves Z in bit-reversed rows: the passes in the
   * order {@link #schedule} worked out once for this size.
   */
  private void transform(float[] s, int im) {
    if (radix2First) {
      radix2(s, im);
    }
    for (int step = 0; step < schedulePass.length; step++) {
      radix4(
          s,
          im,
          scheduleFrom[step],
          scheduleTo[step],
          scheduleLength[step],
          stageTwiddles[schedulePass[step]]);
    }
  }

  /**
   * Appends the radix-4 passes from {@code pass} on for the sub-transform of {@code length} rows at
   * {@code start}. Depth first while a sub-transform is larger than {@link #CACHE_RESIDENT_ROWS}:
   * after one pass its four quarters are independent, and each is finished while it sits in the L1
   * cache instead of streaming the whole block through L2 once per pass.
   */
  private static void schedule(List<int[]> steps, int start, int length, int pass, int passes) {
    if (pass == passes) {
      return;
    }
    if (length > CACHE_RESIDENT_ROWS) {
      steps.add(new int[] {start, start + length, length, pass});
      int quarter = length / 4;
      for (int k = 0; k < 4; k++) {
        schedule(steps, start + k * quarter, quarter, pass + 1, passes);
      }
      return;
    }
    int end = start + length;
    for (int p = pass; p < passes; p++, length /= 4) {
      steps.add(new int[] {start, end, length, p});
    }
  }

  /**
   * Row i of the real part = x[2i]·w[stride·i] of every frame, row i of the imaginary part =
   * x[2i+1]·w[stride·i + stride − 1]: a real frame (stride 2) is windowed sample by sample, a
   * complex segment (stride 1) point by point.
   *
   * <p>Lane j reads float f of frame j at {@code first + j·hop + f}: sixteen values a hop apart,
   * which would take a gather per row. The block's extent is first cut into hop-long pieces and
   * transposed ({@code T[b·columns + a] = x[first + a·hop + b]}), so that the sixteen values are
   * {@code T[(f mod hop)·columns + f/hop + j]}, one contiguous load. Frames overlap (four times
   * for the mel spectrogram), so the transposition moves each sample once where the gathers read
   * it once per frame.
   */
  private void load(
      float[] x, int first, int hop, float[] window, int windowStride, float[] s, int imOffset) {
    int columns = transposedColumns(hop);
    int transposed = 2 * imOffset;
    int extent = (FRAMES - 1) * hop + n;
    // in tiles of TILE pieces' worth of b: the tile's reads (one line per piece) and writes (TILE
    // rows of `columns` floats) both stay in L1, where a whole piece at a time would write a hop
    // of rows, and a whole row at a time would read `columns` lines a hop apart
    for (int tile = 0; tile < hop; tile += TILE) {
      int tileEnd = Math.min(hop, tile + TILE);
      for (int a = 0, from = first; a < columns; a++, from += hop) {
        int end = Math.min(tileEnd, extent - a * hop);
        for (int b = tile, to = transposed + tile * columns + a; b < end; b++, to += columns) {
          s[to] = x[from + b];
        }
      }
    }
    for (int i = 0; i < m; i++) {
      float wRe = window[windowStride * i];
      float wIm = window[windowStride * i + windowStride - 1];
      int row = i * FRAMES;
      int re = transposed + (2 * i % hop) * columns + 2 * i / hop;
      int im = transposed + ((2 * i + 1) % hop) * columns + (2 * i + 1) / hop;
      for (int c = 0; c < FRAMES; c += LANES) {
        FloatVector.fromArray(SPECIES, s, re + c).mul(wRe).intoArray(s, row + c);
        FloatVector.fromArray(SPECIES, s, im + c).mul(wIm).intoArray(s, imOffset + row + c);
      }
    }
  }

  /** One radix-2 decimation-in-frequency pass over the whole transform (span m/2). */
  private void radix2(float[] s, int im) {
    int half = m / 2;
    for (int k = 0; k < half; k++) {
      float wr = radix2Re[k];
      float wi = radix2Im[k];
      int a = k * FRAMES;
      int b = (k + half) * FRAMES;
      for (int c = 0; c < FRAMES; c += LANES) {
        FloatVector ar = FloatVector.fromArray(SPECIES, s, a + c);
        FloatVector ai = FloatVector.fromArray(SPECIES, s, im + a + c);
        FloatVector br = FloatVector.fromArray(SPECIES, s, b + c);
        FloatVector bi = FloatVector.fromArray(SPECIES, s, im + b + c);
        ar.add(br).intoArray(s, a + c);
        ai.add(bi).intoArray(s, im + a + c);
        FloatVector dr = ar.sub(br);
        FloatVector di = ai.sub(bi);
        dr.mul(wr).sub(di.mul(wi)).intoArray(s, b + c);
        dr.mul(wi).add(di.mul(wr)).intoArray(s, im + b + c);
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
