package io.heimdall.pipeline.simulation;

import io.heimdall.pipeline.IqRecording;
import io.heimdall.locate.Station;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Simulates FM voice transmissions on the 2 m band and the complex64 IQ recordings that several
 * receivers make of each one.
 *
 * <p>Each transmission is sent from a random place within a radius of a centre (Turin by default)
 * on a random 12.5 kHz channel between 144 and 146 MHz. Each receiver hears it through log-distance
 * path loss (free space up to 1 km, then exponent {@code n}) with log-normal shadowing, adds its
 * thermal noise (kTB plus a noise figure) and sees the carrier shifted by the transmitter's
 * frequency error plus its own oscillator error (ppm of the channel frequency). The recordings are
 * narrow-band FM of a voice-like audio message (a pitched harmonic series shaped by two formants
 * and a syllabic envelope, over a 88.5 Hz CTCSS tone), sampled at 12.5 kHz as the original system
 * fetches them from WebSDR receivers.
 *
 * <p>Generation is cheap because the expensive parts are shared: a handful of modulated messages
 * and one table of Gaussian noise are computed once per simulator, and a recording only scales a
 * message, rotates it by its frequency offset and adds noise read from a random place in the table.
 * (So the noise of two recordings is the same sequence at different offsets; nothing downstream
 * correlates recordings sample by sample, so this does not bias features or estimates.)
 *
 * <p>{@link #simulate(int)} is deterministic: the same seed and index always give the same
 * transmission, from any thread, in any order. Instances are immutable and thread-safe.
 */
public final class TransmissionSimulator {

  /** Boltzmann noise density at 290 K, dBm per Hz. */
  private static final double THERMAL_NOISE_DBM_PER_HZ = -174.0;

  /** Free-space path loss constant for metres and hertz: 20·log10(4π/c). */
  private static final double FSPL_CONSTANT_DB = -147.55;

  private static final double REFERENCE_DISTANCE_M = 1_000.0;
  private static final double MIN_DISTANCE_M = 100.0;
  private static final double CHANNEL_SPACING_MHZ = 0.0125;
  private static final int ROTATOR_BLOCK = 1024;

  private final long seed;
  private final double centreLatitude;
  private final double centreLongitude;
  private final double radiusMetres;
  private final List<Station> receivers;
  private final double bandStartMhz;
  private final int channels;
  private final double sampleRateHz;
  private final int samples;
  private final double minTxPowerDbm;
  private final double maxTxPowerDbm;
  private final double pathLossExponent;
  private final double shadowingSigmaDb;
  private final double noisePowerDbm;
  private final double fullScaleDbm;
  private final double txFrequencyErrorHz;
  private final double[] receiverLoErrorPpm;
  private final float[][] messages;
  private final float[] noiseTable;
  private final int noiseMask;

  private TransmissionSimulator(Builder b) {
    this.seed = b.seed;
    this.centreLatitude = b.centreLatitude;
    this.centreLongitude = b.centreLongitude;
    this.radiusMetres = b.radiusMetres;
    this.receivers = List.copyOf(b.receivers);
    this.bandStartMhz = b.bandStartMhz;
    this.channels = (int) Math.floor((b.bandEndMhz - b.bandStartMhz) / CHANNEL_SPACING_MHZ) + 1;
    this.sampleRateHz = b.sampleRateHz;
    this.samples = (int) Math.round(b.durationSeconds * b.sampleRateHz);
    this.minTxPowerDbm = b.minTxPowerDbm;
    this.maxTxPowerDbm = b.maxTxPowerDbm;
    this.pathLossExponent = b.pathLossExponent;
    this.shadowingSigmaDb = b.shadowingSigmaDb;
    this.noisePowerDbm =
        THERMAL_NOISE_DBM_PER_HZ + 10 * Math.log10(b.sampleRateHz) + b.noiseFigureDb;
    this.fullScaleDbm = b.fullScaleDbm;
    this.txFrequencyErrorHz = b.txFrequencyErrorHz;

    SplittableRandom setup = new SplittableRandom(seed);
    this.receiverLoErrorPpm = new double[receivers.size()];
    for (int r = 0; r < receiverLoErrorPpm.length; r++) {
      receiverLoErrorPpm[r] = uniform(setup, -b.receiverLoErrorPpm, b.receiverLoErrorPpm);
    }
    this.messages = new float[b.messages][];
    for (int m = 0; m < messages.length; m++) {
      messages[m] =
          VoiceMessages.fmModulate(
              VoiceMessages.voiceLikeAudio(setup.split(), samples, sampleRateHz),
              b.fmDeviationHz,
              sampleRateHz);
    }
    int tableSamples = Integer.highestOneBit(Math.max(samples, 2) - 1) << 2;
    this.noiseTable = VoiceMessages.gaussianNoise(setup.split(), tableSamples);
    this.noiseMask = tableSamples - 1;
  }

  /**
   * Starts a builder with the defaults described on each setter.
   *
   * @return a new builder holding every default; nothing is validated until {@link Builder#build()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The receivers, in the order of every transmission's recordings.
   *
   * @return the receivers as an unmodifiable list; recording {@code i} of every transmission is
   *     made by receiver {@code i}
   */
  public List<Station> receivers() {
    return receivers;
  }

  /**
   * Complex samples per second of every recording.
   *
   * @return the complex sample rate of every recording, in hertz (default 12 500 Hz)
   */
  public double sampleRateHz() {
    return sampleRateHz;
  }

  /**
   * Complex samples per recording.
   *
   * @return the number of complex samples in every recording: duration times sample rate, rounded
   */
  public int samplesPerRecording() {
    return samples;
  }

  /**
   * Receiver input power, in dBm, of a complex sinusoid of amplitude 1 (0 dBFS): the calibration
   * that turns a recording's power in dBFS into dBm.
   *
   * @return the full-scale input power in dBm (default −10 dBm)
   */
  public double fullScaleDbm() {
    return fullScaleDbm;
  }

  /**
   * Receiver noise power over the recording bandwidth, in dBm.
   *
   * @return the thermal noise power kTB over the sample rate plus the noise figure, in dBm (about
   *     −127 dBm with the defaults)
   */
  public double noisePowerDbm() {
    return noisePowerDbm;
  }

  /**
   * Simulates transmission number {@code index}.
   *
   * @param index any non-negative number; equal indices give equal transmissions
   * @return the transmitter and one recording and one ground truth per receiver, in the order of
   *     {@link #receivers()}
   * @throws IllegalArgumentException if the index is negative
   */
  public SimulatedTransmission simulate(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("transmission index must be >= 0, got " + index);
    }
    SplittableRandom random = randomFor(index);
    Transmitter transmitter = drawTransmitter(index, random);
    double frequencyMhz = transmitter.frequencyMhz();
    double txErrorHz = uniform(random, -txFrequencyErrorHz, txFrequencyErrorHz);
    float[] message = messages[random.nextInt(messages.length)];

    List<IqRecording> recordings = new ArrayList<>(receivers.size());
    List<ReceptionTruth> truths = new ArrayList<>(receivers.size());
    for (int r = 0; r < receivers.size(); r++) {
      Station receiver = receivers.get(r);
      double distance =
          Geodesy.distanceMetres(
              transmitter.latitude(),
              transmitter.longitude(),
              receiver.latitude(),
              receiver.longitude());
      double receivedDbm =
          transmitter.txPowerDbm()
              - pathLossDb(distance, frequencyMhz)
              + shadowingSigmaDb * random.nextGaussian();
      double offsetHz = txErrorHz + receiverLoErrorPpm[r] * frequencyMhz;
      float[] iq =
          receive(
              message,
              amplitude(receivedDbm),
              amplitude(noisePowerDbm),
              offsetHz,
              uniform(random, 0, 2 * Math.PI),
              random.nextInt(noiseTable.length / 2));
      recordings.add(new IqRecording(receiver, frequencyMhz, sampleRateHz, iq));
      truths.add(new ReceptionTruth(receiver, distance, receivedDbm, noisePowerDbm, offsetHz));
    }
    return new SimulatedTransmission(transmitter, recordings, truths);
  }

  /**
   * Where, on which channel and how strongly transmission number {@code index} is sent, without
   * generating its recordings (cheap: the same draws {@link #simulate(int)} starts with).
   *
   * @param index any non-negative number; the same index as {@link #simulate(int)} gives the same
   *     transmitter
   * @return the transmitter of transmission {@code index}: its position, channel and power
   * @throws IllegalArgumentException if the index is negative
   */
  public Transmitter transmitter(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("transmission index must be >= 0, got " + index);
    }
    return drawTransmitter(index, randomFor(index));
  }

  private SplittableRandom randomFor(int index) {
    return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1L)));
  }

  private Transmitter drawTransmitter(int index, SplittableRandom random) {
    double[] position =
        Geodesy.destination(
            centreLatitude,
            centreLongitude,
            uniform(random, 0, 360),
            radiusMetres * Math.sqrt(random.nextDouble()));
    double frequencyMhz = bandStartMhz + random.nextInt(channels) * CHANNEL_SPACING_MHZ;
    double txPowerDbm = uniform(random, minTxPowerDbm, maxTxPowerDbm);
    return new Transmitter(index, position[0], position[1], frequencyMhz, txPowerDbm);
  }

  /** Log-distance path loss: free space up to the reference distance, exponent n beyond it. */
  double pathLossDb(double distanceMetres, double frequencyMhz) {
    double d = Math.max(MIN_DISTANCE_M, distanceMetres);
    double nearDistance = Math.min(d, REFERENCE_DISTANCE_M);
    double freeSpace =
        20 * Math.log10(nearDistance) + 20 * Math.log10(frequencyMhz * 1e6) + FSPL_CONSTANT_DB;
    return d <= REFERENCE_DISTANCE_M
        ? freeSpace
        : freeSpace + 10 * pathLossExponent * Math.log10(d / REFERENCE_DISTANCE_M);
  }

  /** RMS amplitude, in full-scale units, of a complex signal of the given power. */
  private double amplitude(double powerDbm) {
    return Math.pow(10, (powerDbm - fullScaleDbm) / 20);
  }

  /**
   * One receiver's recording: the unit-amplitude message scaled, rotated by the frequency offset (a
   * recurrence re-anchored every block so rounding cannot drift), plus noise.
   */
  private float[] receive(
      float[] message,
      double signalAmplitude,
      double noiseRms,
      double offsetHz,
      double startPhase,
      int noiseStart) {
    float[] out = new float[2 * samples];
    double omega = 2 * Math.PI * offsetHz / sampleRateHz;
    double stepRe = Math.cos(omega);
    double stepIm = Math.sin(omega);
    float noiseScale = (float) noiseRms;
    for (int blockStart = 0; blockStart < samples; blockStart += ROTATOR_BLOCK) {
      double phase = startPhase + omega * blockStart;
      double rotRe = signalAmplitude * Math.cos(phase);
      double rotIm = signalAmplitude * Math.sin(phase);
      int blockEnd = Math.min(samples, blockStart + ROTATOR_BLOCK);
      for (int n = blockStart; n < blockEnd; n++) {
        float mRe = message[2 * n];
        float mIm = message[2 * n + 1];
        int k = ((noiseStart + n) & noiseMask) << 1;
        out[2 * n] = (float) (mRe * rotRe - mIm * rotIm) + noiseScale * noiseTable[k];
        out[2 * n + 1] = (float) (mRe * rotIm + mIm * rotRe) + noiseScale * noiseTable[k + 1];
        double nextRe = rotRe * stepRe - rotIm * stepIm;
        rotIm = rotRe * stepIm + rotIm * stepRe;
        rotRe = nextRe;
      }
    }
    return out;
  }

  /** A uniform draw in [from, to), or {@code from} for an empty range. */
  static double uniform(SplittableRandom random, double from, double to) {
    return from == to ? from : from + (to - from) * random.nextDouble();
  }


  /** Configures a {@link TransmissionSimulator}; every setting is validated by {@link #build()}. */
  public static final class Builder {
    private long seed = 1;
    private double centreLatitude = 45.0703;
    private double centreLongitude = 7.6869;
    private double radiusMetres = 40_000;
    private List<Station> receivers = ReferenceStations.ALL;
    private double bandStartMhz = 144.0;
    private double bandEndMhz = 146.0;
    private double sampleRateHz = 12_500;
    private double durationSeconds = 10.0;
    private double minTxPowerDbm = 27;
    private double maxTxPowerDbm = 40;
    private double pathLossExponent = 3.2;
    private double shadowingSigmaDb = 4.0;
    private double noiseFigureDb = 6.0;
    private double fullScaleDbm = -10.0;
    private double txFrequencyErrorHz = 300;
    private double receiverLoErrorPpm = 1.5;
    private double fmDeviationHz = 2_500;
    private int messages = 8;

    private Builder() {}

    /**
     * Seed of every random choice (default 1).
     *
     * @param seed seed of the receiver oscillator errors, the messages, the noise table and every
     *     transmission; any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Centre of the area transmitters are placed in (default Turin, 45.0703 N 7.6869 E).
     *
     * @param latitude latitude of the centre in degrees, in [-90, 90], north positive
     * @param longitude longitude of the centre in degrees, in [-180, 180], east positive
     * @return this builder
     */
    public Builder centre(double latitude, double longitude) {
      this.centreLatitude = latitude;
      this.centreLongitude = longitude;
      return this;
    }

    /**
     * Radius of that area in metres; positions are uniform over the disc (default 40 km).
     *
     * @param radiusMetres radius of the disc around the centre, in metres, in (0, 1 000 000]
     * @return this builder
     */
    public Builder radiusMetres(double radiusMetres) {
      this.radiusMetres = radiusMetres;
      return this;
    }

    /**
     * The receivers (default the seven of {@link ReferenceStations#ALL}, in the localiser's
     * column order).
     *
     * @param receivers the receivers, at least one, each at a valid position; copied
     * @return this builder
     * @throws NullPointerException if {@code receivers} is null
     */
    public Builder receivers(List<Station> receivers) {
      this.receivers = List.copyOf(Objects.requireNonNull(receivers, "receivers"));
      return this;
    }

    /**
     * Band the 12.5 kHz channels are drawn from, in MHz (default 144–146, the 2 m band).
     *
     * @param startMhz frequency of the lowest channel, in MHz, greater than 0
     * @param endMhz highest frequency a channel may have, in MHz, at least {@code startMhz}
     * @return this builder
     */
    public Builder bandMhz(double startMhz, double endMhz) {
      this.bandStartMhz = startMhz;
      this.bandEndMhz = endMhz;
      return this;
    }

    /**
     * Complex sample rate of the recordings (default 12 500 Hz).
     *
     * @param sampleRateHz complex samples per second, in [1000, 1e7] Hz
     * @return this builder
     */
    public Builder sampleRateHz(double sampleRateHz) {
      this.sampleRateHz = sampleRateHz;
      return this;
    }

    /**
     * Length of every recording (default 10 s, the models' 431-frame input).
     *
     * @param durationSeconds recording length in seconds; at the sample rate it must give between
     *     1024 and 2^27 samples
     * @return this builder
     */
    public Builder durationSeconds(double durationSeconds) {
      this.durationSeconds = durationSeconds;
      return this;
    }

    /**
     * Range of transmitter powers in dBm, drawn uniformly (default 27–40 dBm, 0.5–10 W: handheld to
     * mobile).
     *
     * @param minDbm lowest transmitter power in dBm, finite
     * @param maxDbm highest transmitter power in dBm, finite and at least {@code minDbm}
     * @return this builder
     */
    public Builder txPowerDbm(double minDbm, double maxDbm) {
      this.minTxPowerDbm = minDbm;
      this.maxTxPowerDbm = maxDbm;
      return this;
    }

    /**
     * Path-loss exponent beyond 1 km (default 3.2, rolling terrain; 2 is free space).
     *
     * @param exponent the log-distance exponent n, in [1, 6]
     * @return this builder
     */
    public Builder pathLossExponent(double exponent) {
      this.pathLossExponent = exponent;
      return this;
    }

    /**
     * Standard deviation of log-normal shadowing, dB (default 4; 0 disables it).
     *
     * @param sigmaDb standard deviation in dB, in [0, 20]
     * @return this builder
     */
    public Builder shadowingSigmaDb(double sigmaDb) {
      this.shadowingSigmaDb = sigmaDb;
      return this;
    }

    /**
     * Receiver noise figure in dB over kTB (default 6 dB).
     *
     * @param noiseFigureDb noise figure in dB, in [0, 30]
     * @return this builder
     */
    public Builder noiseFigureDb(double noiseFigureDb) {
      this.noiseFigureDb = noiseFigureDb;
      return this;
    }

    /**
     * Receiver input power that gives a full-scale (amplitude 1) complex sinusoid, in dBm (default
     * −10 dBm, so even a transmitter 100 m away stays below full scale).
     *
     * @param fullScaleDbm the full-scale input power in dBm, finite
     * @return this builder
     */
    public Builder fullScaleDbm(double fullScaleDbm) {
      this.fullScaleDbm = fullScaleDbm;
      return this;
    }

    /**
     * Largest transmitter frequency error, Hz, drawn uniformly in ± this (default 300 Hz).
     *
     * @param maxErrorHz largest error in Hz, at least 0 and below an eighth of the sample rate
     * @return this builder
     */
    public Builder txFrequencyErrorHz(double maxErrorHz) {
      this.txFrequencyErrorHz = maxErrorHz;
      return this;
    }

    /**
     * Largest receiver oscillator error in ppm, fixed per receiver (default 1.5 ppm).
     *
     * @param maxErrorPpm largest error in parts per million of the channel frequency, in [0, 50]
     * @return this builder
     */
    public Builder receiverLoErrorPpm(double maxErrorPpm) {
      this.receiverLoErrorPpm = maxErrorPpm;
      return this;
    }

    /**
     * Peak FM deviation in Hz (default 2.5 kHz, narrow-band FM for 12.5 kHz channels).
     *
     * @param deviationHz peak deviation in Hz, greater than 0 and below a quarter of the sample
     *     rate
     * @return this builder
     */
    public Builder fmDeviationHz(double deviationHz) {
      this.fmDeviationHz = deviationHz;
      return this;
    }

    /**
     * Number of distinct audio messages transmissions choose from (default 8).
     *
     * @param messages number of messages modulated once when the simulator is built, in [1, 64]
     * @return this builder
     */
    public Builder messages(int messages) {
      this.messages = messages;
      return this;
    }

    /**
     * Validates the settings and precomputes the messages and the noise table.
     *
     * @return a new immutable, thread-safe simulator
     * @throws IllegalArgumentException naming the first setting that is out of range
     */
    public TransmissionSimulator build() {
      Geodesy.checkPosition(centreLatitude, centreLongitude);
      require(
          radiusMetres > 0 && radiusMetres <= 1_000_000, "radius", radiusMetres, "(0, 1000000] m");
      require(!receivers.isEmpty(), "receivers", receivers.size(), "at least one receiver");
      for (Station receiver : receivers) {
        Geodesy.checkPosition(receiver.latitude(), receiver.longitude());
      }
      require(
          bandStartMhz > 0 && bandEndMhz >= bandStartMhz && bandEndMhz < 1e5,
          "band",
          bandStartMhz + "–" + bandEndMhz,
          "0 < start <= end MHz");
      require(
          sampleRateHz >= 1_000 && sampleRateHz <= 1e7,
          "sample rate",
          sampleRateHz,
          "[1000, 1e7] Hz");
      require(
          durationSeconds > 0
              && durationSeconds * sampleRateHz >= 1024
              && durationSeconds * sampleRateHz <= (1 << 27),
          "duration",
          durationSeconds,
          "between 1024 and 2^27 samples at the sample rate");
      require(
          Double.isFinite(minTxPowerDbm)
              && Double.isFinite(maxTxPowerDbm)
              && minTxPowerDbm <= maxTxPowerDbm,
          "tx power range",
          minTxPowerDbm + ".." + maxTxPowerDbm,
          "finite min <= max dBm");
      require(
          pathLossExponent >= 1 && pathLossExponent <= 6,
          "path-loss exponent",
          pathLossExponent,
          "[1, 6]");
      require(
          shadowingSigmaDb >= 0 && shadowingSigmaDb <= 20,
          "shadowing sigma",
          shadowingSigmaDb,
          "[0, 20] dB");
      require(
          noiseFigureDb >= 0 && noiseFigureDb <= 30, "noise figure", noiseFigureDb, "[0, 30] dB");
      require(Double.isFinite(fullScaleDbm), "full-scale power", fullScaleDbm, "a finite dBm");
      require(
          txFrequencyErrorHz >= 0 && txFrequencyErrorHz < sampleRateHz / 8,
          "tx frequency error",
          txFrequencyErrorHz,
          "[0, sampleRate/8) Hz");
      require(
          receiverLoErrorPpm >= 0 && receiverLoErrorPpm <= 50,
          "receiver LO error",
          receiverLoErrorPpm,
          "[0, 50] ppm");
      require(
          fmDeviationHz > 0 && fmDeviationHz < sampleRateHz / 4,
          "FM deviation",
          fmDeviationHz,
          "(0, sampleRate/4) Hz");
      require(messages >= 1 && messages <= 64, "messages", messages, "[1, 64]");
      return new TransmissionSimulator(this);
    }

    private static void require(boolean ok, String setting, Object value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException(
            "simulator " + setting + " must be " + expected + ", got " + value);
      }
    }
  }
}
