package io.heimdall.pipeline.simulation;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.sigmf.GeoPoint;
import io.heimdall.dsp.sigmf.SigMf;
import io.heimdall.dsp.sigmf.SigMfDatatype;
import io.heimdall.dsp.sigmf.SigMfMetadata;
import io.heimdall.locate.Reading;
import io.heimdall.locate.Station;
import io.heimdall.locate.tdoa.TdoaLocalizer;
import io.heimdall.locate.tdoa.TimedRecording;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicMask;

/**
 * Simulates one FM transmission as several receivers with GPS-disciplined clocks record it: the
 * input of time-difference-of-arrival localisation.
 *
 * <p>The transmitters are {@link TransmissionSimulator}'s (the same positions, channels and powers
 * for the same seed and index). The audio is band-limited and voice-like: a sum of tones at random
 * frequencies in the audio band with random phases, whose FM phase {@code φ(t) = Σ (Δ_i/f_i)
 * sin(2πf_i t + θ_i)} is evaluated in closed form, so every receiver's copy is delayed by exactly
 * its propagation time (geodesic distance on WGS84 over the speed of light), fractions of a sample
 * included. Each receiver:
 *
 * <ul>
 *   <li>starts its capture at its own time, up to {@link Builder#startSpreadSeconds} after the
 *       transmission begins, and stamps it (as {@code core:datetime} would) to the nanosecond;
 *   <li>has a GPS timing error: the stamp is late by a Gaussian error (default 30 ns rms) relative
 *       to the true time of the first sample;
 *   <li>sees the carrier at its own LO offset (uniform within ± a few hundred Hz) and phase;
 *   <li>receives the power of the log-distance model with log-normal shadowing (reported for the
 *       received-power localiser), with noise at a signal-to-noise ratio drawn from a range
 *       (default 25–50 dB): the SNR is chosen, so TDOA is tested at the SNRs asked for.
 * </ul>
 *
 * <p>A stamp that falls on a whole microsecond is moved by one nanosecond (one in a thousand; far
 * below the GPS error), so that every recording states a time to the nanosecond. {@link
 * #simulate(int)} is deterministic per seed and index; instances are immutable and thread-safe.
 */
public final class SynchronizedRecordings {

  private static final int ANCHOR = 1024;

  private final long seed;
  private final TransmissionSimulator transmitters;
  private final List<Station> stations;
  private final double sampleRateHz;
  private final int samples;
  private final double minSnrDb;
  private final double maxSnrDb;
  private final double gpsTimingErrorS;
  private final double loOffsetHz;
  private final long startSpreadNanos;
  private final int tones;
  private final double bandLowHz;
  private final double bandHighHz;
  private final double deviationHz;
  private final double shadowingDb;
  private final Instant epoch;

  private SynchronizedRecordings(Builder b) {
    this.seed = b.seed;
    this.transmitters =
        b.transmitters != null
            ? b.transmitters
            : TransmissionSimulator.builder().seed(b.seed).durationSeconds(0.1).messages(1).build();
    this.stations = List.copyOf(b.stations);
    this.sampleRateHz = b.sampleRateHz;
    this.samples = (int) Math.round(b.durationSeconds * b.sampleRateHz);
    this.minSnrDb = b.minSnrDb;
    this.maxSnrDb = b.maxSnrDb;
    this.gpsTimingErrorS = b.gpsTimingErrorNs * 1e-9;
    this.loOffsetHz = b.loOffsetHz;
    this.startSpreadNanos = Math.round(b.startSpreadSeconds * 1e9);
    this.tones = b.tones;
    this.bandLowHz = b.bandLowHz;
    this.bandHighHz = b.bandHighHz;
    this.deviationHz = b.deviationHz;
    this.shadowingDb = b.shadowingDb;
    this.epoch = b.epoch;
  }

  /**
   * Starts a builder with the defaults stated on each setter.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The receivers, in the order of every transmission's recordings.
   *
   * @return the stations
   */
  public List<Station> stations() {
    return stations;
  }

  /**
   * Simulates transmission number {@code index}.
   *
   * @param index any non-negative number; equal indices give equal transmissions
   * @return the transmission and every receiver's recording of it
   * @throws IllegalArgumentException if the index is negative
   */
  public Transmission simulate(int index) {
    Transmitter transmitter = transmitters.transmitter(index);
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    Instant emitted = epoch.plusSeconds(60L * index).plusNanos(random.nextLong(1_000_000_000L));
    double[] hz = new double[tones];
    double[] phase = new double[tones];
    double[] modulationIndex = new double[tones];
    // equal tones with an rms deviation of a third of the peak deviation
    double perTone = deviationHz / 3 / Math.sqrt(tones / 2.0);
    for (int i = 0; i < tones; i++) {
      hz[i] = bandLowHz + (bandHighHz - bandLowHz) * random.nextDouble();
      phase[i] = 2 * Math.PI * random.nextDouble();
      modulationIndex[i] = perTone / hz[i];
    }
    List<TimedRecording> recordings = new ArrayList<>(stations.size());
    List<Reading> powers = new ArrayList<>(stations.size());
    List<Reception> receptions = new ArrayList<>(stations.size());
    for (Station station : stations) {
      double distance =
          Geodesic.WGS84.Inverse(
                  transmitter.latitude(),
                  transmitter.longitude(),
                  station.latitude(),
                  station.longitude(),
                  GeodesicMask.DISTANCE)
              .s12;
      double receivedDbm =
          transmitter.txPowerDbm()
              - transmitters.pathLossDb(distance, transmitter.frequencyMhz())
              + shadowingDb * random.nextGaussian();
      double snrDb = minSnrDb + (maxSnrDb - minSnrDb) * random.nextDouble();
      double lo = loOffsetHz * (2 * random.nextDouble() - 1);
      double carrierPhase = 2 * Math.PI * random.nextDouble();
      double timingError = gpsTimingErrorS * random.nextGaussian();
      long offsetNanos = random.nextLong(startSpreadNanos + 1);
      Instant stamped = emitted.plusNanos(offsetNanos);
      if (stamped.getNano() % 1_000 == 0) {
        offsetNanos++;
        stamped = emitted.plusNanos(offsetNanos);
      }
      // the stamp is late by the timing error: the first sample was taken that much earlier
      double firstSample = offsetNanos * 1e-9 - timingError;
      double delay = distance / TdoaLocalizer.SPEED_OF_LIGHT_M_PER_S;
      double signal = amplitude(receivedDbm);
      double noise = signal * Math.pow(10, -snrDb / 20);
      float[] iq =
          receive(
              hz,
              phase,
              modulationIndex,
              firstSample - delay,
              lo,
              carrierPhase,
              signal,
              noise,
              random.split());
      recordings.add(
          new TimedRecording(station, stamped, sampleRateHz, ComplexSignal.wrapInterleaved(iq)));
      powers.add(Reading.heard(station, receivedDbm));
      receptions.add(new Reception(station, distance, snrDb, lo, timingError * 1e9, receivedDbm));
    }
    return new Transmission(transmitter, emitted, recordings, powers, receptions);
  }

  /**
   * Writes a transmission's recordings as SigMF pairs ({@code cf32_le}) named {@code
   * tx<index>-<station id>}, each with {@code core:datetime} (to the nanosecond), {@code
   * core:geolocation}, {@code core:frequency} and the full-scale calibration.
   *
   * @param directory an existing directory
   * @param transmission what {@link #simulate} returned
   * @return the metadata files, in the order of the recordings
   * @throws IOException if a file cannot be written
   */
  public List<Path> writeSigMf(Path directory, Transmission transmission) throws IOException {
    List<Path> out = new ArrayList<>();
    for (TimedRecording recording : transmission.recordings()) {
      Station station = recording.station();
      SigMfMetadata metadata =
          SigMfMetadata.builder(SigMfDatatype.CF32_LE, recording.sampleRateHz())
              .frequencyHz(transmission.transmitter().frequencyMhz() * 1e6)
              .datetime(recording.start())
              .geolocation(
                  new GeoPoint(
                      station.latitude(),
                      station.longitude(),
                      OptionalDouble.of(station.altitudeM())))
              .fullScaleDbm(transmitters.fullScaleDbm())
              .hardware(station.name())
              .description("Heimdall simulated synchronised recording")
              .build();
      String name = "tx" + transmission.transmitter().index() + "-" + station.id();
      out.add(SigMf.write(directory.resolve(name), metadata, recording.samples()));
    }
    return out;
  }

  /** RMS amplitude, in full-scale units, of a complex signal of the given power. */
  private double amplitude(double powerDbm) {
    return Math.pow(10, (powerDbm - transmitters.fullScaleDbm()) / 20);
  }

  /**
   * One receiver's samples: {@code A·e^{j(φ(u0 + n/fs) + 2π·lo·n/fs + ψ)}} plus complex Gaussian
   * noise of rms {@code noise}. Each tone's phase advances by a rotation re-anchored every {@value
   * #ANCHOR} samples, so rounding cannot drift.
   */
  private float[] receive(
      double[] hz,
      double[] phase,
      double[] modulationIndex,
      double u0,
      double lo,
      double carrierPhase,
      double signal,
      double noise,
      SplittableRandom random) {
    double[] fm = new double[samples];
    for (int i = 0; i < hz.length; i++) {
      double omega = 2 * Math.PI * hz[i] / sampleRateHz;
      double stepRe = Math.cos(omega);
      double stepIm = Math.sin(omega);
      for (int block = 0; block < samples; block += ANCHOR) {
        double start = 2 * Math.PI * hz[i] * (u0 + block / sampleRateHz) + phase[i];
        double re = Math.cos(start);
        double im = Math.sin(start);
        int end = Math.min(samples, block + ANCHOR);
        double beta = modulationIndex[i];
        for (int n = block; n < end; n++) {
          fm[n] += beta * im;
          double next = re * stepRe - im * stepIm;
          im = re * stepIm + im * stepRe;
          re = next;
        }
      }
    }
    float[] iq = new float[2 * samples];
    double sigma = noise / Math.sqrt(2);
    double loStep = 2 * Math.PI * lo / sampleRateHz;
    for (int n = 0; n < samples; n++) {
      double total = fm[n] + loStep * n + carrierPhase;
      iq[2 * n] = (float) (signal * Math.cos(total) + sigma * random.nextGaussian());
      iq[2 * n + 1] = (float) (signal * Math.sin(total) + sigma * random.nextGaussian());
    }
    return iq;
  }

  /**
   * One simulated transmission.
   *
   * @param transmitter where, on which channel and how strongly it was sent
   * @param emitted when the transmission began (UTC)
   * @param recordings every receiver's recording, in the simulator's station order
   * @param powers every receiver's received power, for the received-power localiser
   * @param receptions what each receiver really received, same order
   */
  public record Transmission(
      Transmitter transmitter,
      Instant emitted,
      List<TimedRecording> recordings,
      List<Reading> powers,
      List<Reception> receptions) {

    /**
     * Copies the lists.
     *
     * @param transmitter where, on which channel and how strongly it was sent
     * @param emitted when the transmission began
     * @param recordings every receiver's recording
     * @param powers every receiver's received power
     * @param receptions what each receiver really received
     * @throws NullPointerException if a part is missing
     */
    public Transmission {
      Objects.requireNonNull(transmitter, "transmitter");
      Objects.requireNonNull(emitted, "emitted");
      recordings = List.copyOf(recordings);
      powers = List.copyOf(powers);
      receptions = List.copyOf(receptions);
    }
  }

  /**
   * What one receiver really received.
   *
   * @param station the receiver
   * @param distanceM geodesic distance from the transmitter, metres
   * @param snrDb carrier-to-noise ratio over the recorded bandwidth, dB
   * @param loOffsetHz offset of the carrier in the recording, Hz
   * @param timingErrorNs how late the time stamp is, ns
   * @param receivedPowerDbm received signal power, dBm
   */
  public record Reception(
      Station station,
      double distanceM,
      double snrDb,
      double loOffsetHz,
      double timingErrorNs,
      double receivedPowerDbm) {}

  /** Configures {@link SynchronizedRecordings}; {@link #build()} validates every setting. */
  public static final class Builder {
    private long seed = 1;
    private TransmissionSimulator transmitters;
    private List<Station> stations = ReferenceStations.ALL;
    private double sampleRateHz = 12_500;
    private double durationSeconds = 2;
    private double minSnrDb = 25;
    private double maxSnrDb = 50;
    private double gpsTimingErrorNs = 30;
    private double loOffsetHz = 300;
    private double startSpreadSeconds = 0.05;
    private int tones = 64;
    private double bandLowHz = 300;
    private double bandHighHz = 3_000;
    private double deviationHz = 2_500;
    private double shadowingDb = 4;
    private Instant epoch = Instant.parse("2026-01-01T00:00:00Z");

    private Builder() {}

    /**
     * Seed of every random choice; default 1. Also seeds the default transmitter simulator.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Where transmitters are, their channels and powers, and the path-loss model; default a {@link
     * TransmissionSimulator} with this seed and its defaults (around Turin).
     *
     * @param simulator the simulator whose {@link TransmissionSimulator#transmitter} is used
     * @return this builder
     */
    public Builder transmitters(TransmissionSimulator simulator) {
      this.transmitters = Objects.requireNonNull(simulator, "transmitters");
      return this;
    }

    /**
     * The receivers; default {@link ReferenceStations#ALL}.
     *
     * @param stations at least one, ids distinct
     * @return this builder
     */
    public Builder stations(List<Station> stations) {
      this.stations = List.copyOf(Objects.requireNonNull(stations, "stations"));
      return this;
    }

    /**
     * Complex sample rate; default 12 500 Hz.
     *
     * @param hz in [4000, 1e6]
     * @return this builder
     */
    public Builder sampleRateHz(double hz) {
      this.sampleRateHz = hz;
      return this;
    }

    /**
     * Length of every recording; default 2 s.
     *
     * @param seconds at least 1024 samples at the sample rate, at most 60 s
     * @return this builder
     */
    public Builder durationSeconds(double seconds) {
      this.durationSeconds = seconds;
      return this;
    }

    /**
     * Range the receivers' SNRs are drawn from, uniformly; default 25–50 dB.
     *
     * @param minDb lowest, in [0, 80]
     * @param maxDb highest, in [minDb, 80]
     * @return this builder
     */
    public Builder snrDb(double minDb, double maxDb) {
      this.minSnrDb = minDb;
      this.maxSnrDb = maxDb;
      return this;
    }

    /**
     * RMS error of each receiver's time stamp; default 30 ns.
     *
     * @param ns in [0, 100 000]
     * @return this builder
     */
    public Builder gpsTimingErrorNs(double ns) {
      this.gpsTimingErrorNs = ns;
      return this;
    }

    /**
     * Largest LO offset of a receiver, drawn uniformly in ± this per receiver and transmission;
     * default 300 Hz.
     *
     * @param hz in [0, 1000]
     * @return this builder
     */
    public Builder loOffsetHz(double hz) {
      this.loOffsetHz = hz;
      return this;
    }

    /**
     * Latest start of a capture after the transmission begins; default 0.05 s.
     *
     * @param seconds in [0, 1]
     * @return this builder
     */
    public Builder startSpreadSeconds(double seconds) {
      this.startSpreadSeconds = seconds;
      return this;
    }

    /**
     * Tones in the audio; default 64.
     *
     * @param count in [1, 1000]
     * @return this builder
     */
    public Builder tones(int count) {
      this.tones = count;
      return this;
    }

    /**
     * The audio band the tones are drawn from; default 300–3000 Hz.
     *
     * @param lowHz lowest, &gt; 0
     * @param highHz highest, &gt; lowHz and below a quarter of the sample rate
     * @return this builder
     */
    public Builder audioBandHz(double lowHz, double highHz) {
      this.bandLowHz = lowHz;
      this.bandHighHz = highHz;
      return this;
    }

    /**
     * Peak FM deviation (three times the rms); default 2.5 kHz.
     *
     * @param hz &gt; 0, below a quarter of the sample rate
     * @return this builder
     */
    public Builder fmDeviationHz(double hz) {
      this.deviationHz = hz;
      return this;
    }

    /**
     * Log-normal shadowing of the received powers; default 4 dB.
     *
     * @param db in [0, 20]
     * @return this builder
     */
    public Builder shadowingDb(double db) {
      this.shadowingDb = db;
      return this;
    }

    /**
     * When transmission 0 begins; transmission {@code i} begins {@code i} minutes later plus a
     * random fraction of a second. Default 2026-01-01T00:00:00Z.
     *
     * @param epoch the instant
     * @return this builder
     */
    public Builder epoch(Instant epoch) {
      this.epoch = Objects.requireNonNull(epoch, "epoch");
      return this;
    }

    /**
     * Validates the settings.
     *
     * @return the simulator
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public SynchronizedRecordings build() {
      require(!stations.isEmpty(), "stations", stations.size(), "at least one");
      require(
          sampleRateHz >= 4_000 && sampleRateHz <= 1e6,
          "sample rate",
          sampleRateHz,
          "[4000, 1e6] Hz");
      double count = durationSeconds * sampleRateHz;
      require(
          count >= TimedRecording.MIN_SAMPLES && durationSeconds <= 60,
          "duration",
          durationSeconds,
          "at least " + TimedRecording.MIN_SAMPLES + " samples and at most 60 s");
      require(
          minSnrDb >= 0 && maxSnrDb >= minSnrDb && maxSnrDb <= 80,
          "SNR range",
          minSnrDb + ".." + maxSnrDb,
          "0 <= min <= max <= 80 dB");
      require(
          gpsTimingErrorNs >= 0 && gpsTimingErrorNs <= 100_000,
          "GPS timing error",
          gpsTimingErrorNs,
          "[0, 100000] ns");
      require(loOffsetHz >= 0 && loOffsetHz <= 1_000, "LO offset", loOffsetHz, "[0, 1000] Hz");
      require(
          startSpreadSeconds >= 0 && startSpreadSeconds <= 1,
          "start spread",
          startSpreadSeconds,
          "[0, 1] s");
      require(tones >= 1 && tones <= 1_000, "tones", tones, "[1, 1000]");
      require(
          bandLowHz > 0 && bandHighHz > bandLowHz && bandHighHz < sampleRateHz / 4,
          "audio band",
          bandLowHz + "–" + bandHighHz,
          "0 < low < high < sampleRate/4 Hz");
      require(
          deviationHz > 0 && deviationHz < sampleRateHz / 4,
          "FM deviation",
          deviationHz,
          "(0, sampleRate/4) Hz");
      require(shadowingDb >= 0 && shadowingDb <= 20, "shadowing", shadowingDb, "[0, 20] dB");
      return new SynchronizedRecordings(this);
    }

    private static void require(boolean ok, String setting, Object value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException(
            "synchronised recordings " + setting + " must be " + expected + ", got " + value);
      }
    }
  }
}
