package io.heimdall.dsp.sigmf;

import io.heimdall.dsp.Checks;
import io.heimdall.dsp.DspException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What Heimdall reads from, and writes to, a {@code .sigmf-meta} file.
 *
 * @param datatype {@code core:datatype}
 * @param sampleRateHz {@code core:sample_rate}
 * @param version {@code core:version}, the SigMF version the file follows
 * @param frequencyHz the first capture's {@code core:frequency}: the centre frequency in Hz
 * @param datetime the UTC time of sample 0 of the data file, to the nanosecond: the first
 *     capture's {@code core:datetime}, less its {@code core:sample_start} samples
 * @param geolocation the receiver's position, from {@code core:geolocation}
 * @param fullScaleDbm {@code heimdall:full_scale_dbm}: the power in dBm of a full-scale signal
 *     (mean |x|² = 1), which turns dBFS into dBm
 * @param hardware {@code core:hw}
 * @param author {@code core:author}
 * @param description {@code core:description}
 */
public record SigMfMetadata(
    SigMfDatatype datatype,
    double sampleRateHz,
    String version,
    OptionalDouble frequencyHz,
    Optional<Instant> datetime,
    Optional<GeoPoint> geolocation,
    OptionalDouble fullScaleDbm,
    Optional<String> hardware,
    Optional<String> author,
    Optional<String> description) {

  /** The SigMF version Heimdall writes unless told otherwise. */
  public static final String SIGMF_VERSION = "1.0.0";

  /** The name of Heimdall's SigMF extension, declared in {@code core:extensions}. */
  public static final String EXTENSION = "heimdall";

  /**
   * Validates the metadata; absent optional fields may be given as null.
   *
   * @param datatype {@code core:datatype}
   * @param sampleRateHz {@code core:sample_rate}
   * @param version {@code core:version}
   * @param frequencyHz the centre frequency
   * @param datetime the UTC time of sample 0
   * @param geolocation the receiver's position
   * @param fullScaleDbm dBm of a full-scale signal
   * @param hardware {@code core:hw}
   * @param author {@code core:author}
   * @param description {@code core:description}
   * @throws DspException for a missing datatype or version, a sample rate that is not a finite
   *     number &gt; 0, or a non-finite frequency or calibration
   */
  public SigMfMetadata {
    if (datatype == null) {
      throw new DspException("SigMF datatype is null (expected one of cf32_le, ci16_le, ci8, cu8)");
    }
    Checks.positive("sample rate", sampleRateHz);
    if (version == null || version.isBlank()) {
      throw new DspException("SigMF version must be a non-blank string, got " + version);
    }
    frequencyHz = Objects.requireNonNullElse(frequencyHz, OptionalDouble.empty());
    datetime = Objects.requireNonNullElse(datetime, Optional.empty());
    geolocation = Objects.requireNonNullElse(geolocation, Optional.empty());
    fullScaleDbm = Objects.requireNonNullElse(fullScaleDbm, OptionalDouble.empty());
    hardware = Objects.requireNonNullElse(hardware, Optional.empty());
    author = Objects.requireNonNullElse(author, Optional.empty());
    description = Objects.requireNonNullElse(description, Optional.empty());
    if (frequencyHz.isPresent()) {
      Checks.finite("centre frequency", frequencyHz.getAsDouble());
    }
    if (fullScaleDbm.isPresent()) {
      Checks.finite("full-scale dBm", fullScaleDbm.getAsDouble());
    }
  }

  /**
   * A builder for metadata with the two fields SigMF requires of every recording.
   *
   * @param datatype how the samples are stored
   * @param sampleRateHz samples per second
   * @return a builder; the other fields are absent until set
   */
  public static Builder builder(SigMfDatatype datatype, double sampleRateHz) {
    return new Builder(datatype, sampleRateHz);
  }

  /**
   * A builder starting from these values.
   *
   * @return a builder holding every field of this record
   */
  public Builder toBuilder() {
    Builder b = new Builder(datatype, sampleRateHz).version(version);
    b.frequencyHz = frequencyHz;
    b.datetime = datetime;
    b.geolocation = geolocation;
    b.fullScaleDbm = fullScaleDbm;
    b.hardware = hardware;
    b.author = author;
    b.description = description;
    return b;
  }

  /** Builds {@link SigMfMetadata}; each setter replaces the previous value. */
  public static final class Builder {
    private SigMfDatatype datatype;
    private final double sampleRateHz;
    private String version = SIGMF_VERSION;
    private OptionalDouble frequencyHz = OptionalDouble.empty();
    private Optional<Instant> datetime = Optional.empty();
    private Optional<GeoPoint> geolocation = Optional.empty();
    private OptionalDouble fullScaleDbm = OptionalDouble.empty();
    private Optional<String> hardware = Optional.empty();
    private Optional<String> author = Optional.empty();
    private Optional<String> description = Optional.empty();

    private Builder(SigMfDatatype datatype, double sampleRateHz) {
      this.datatype = datatype;
      this.sampleRateHz = sampleRateHz;
    }

    /**
     * The sample type (set by {@link SigMfMetadata#builder}); change it to write the same
     * recording in another type.
     *
     * @param datatype how the samples are stored
     * @return this builder
     */
    public Builder datatype(SigMfDatatype datatype) {
      this.datatype = datatype;
      return this;
    }

    /**
     * {@code core:version}; default {@value SigMfMetadata#SIGMF_VERSION}.
     *
     * @param version the SigMF version
     * @return this builder
     */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /**
     * The capture's centre frequency; default absent.
     *
     * @param hz the frequency in Hz
     * @return this builder
     */
    public Builder frequencyHz(double hz) {
      this.frequencyHz = OptionalDouble.of(hz);
      return this;
    }

    /**
     * The UTC time of the first sample, kept to the nanosecond; default absent.
     *
     * @param time the instant
     * @return this builder
     */
    public Builder datetime(Instant time) {
      this.datetime = Optional.of(time);
      return this;
    }

    /**
     * The receiver's position; default absent.
     *
     * @param position the point
     * @return this builder
     */
    public Builder geolocation(GeoPoint position) {
      this.geolocation = Optional.of(position);
      return this;
    }

    /**
     * The calibration: dBm of a full-scale signal; default absent. Written as {@code
     * heimdall:full_scale_dbm} with the {@code heimdall} extension declared.
     *
     * @param dbm full-scale power in dBm
     * @return this builder
     */
    public Builder fullScaleDbm(double dbm) {
      this.fullScaleDbm = OptionalDouble.of(dbm);
      return this;
    }

    /**
     * {@code core:hw}; default absent.
     *
     * @param hardware a description of the receiver
     * @return this builder
     */
    public Builder hardware(String hardware) {
      this.hardware = Optional.of(hardware);
      return this;
    }

    /**
     * {@code core:author}; default absent.
     *
     * @param author who made the recording
     * @return this builder
     */
    public Builder author(String author) {
      this.author = Optional.of(author);
      return this;
    }

    /**
     * {@code core:description}; default absent.
     *
     * @param description free text
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Optional.of(description);
      return this;
    }

    /**
     * The metadata.
     *
     * @return a validated record
     * @throws DspException as {@link SigMfMetadata}'s constructor does
     */
    public SigMfMetadata build() {
      return new SigMfMetadata(
          datatype,
          sampleRateHz,
          version,
          frequencyHz,
          datetime,
          geolocation,
          fullScaleDbm,
          hardware,
          author,
          description);
    }
  }
}
