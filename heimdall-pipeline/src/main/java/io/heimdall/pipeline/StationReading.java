package io.heimdall.pipeline;

/**
 * What the pipeline measured in one receiver's recording.
 *
 * @param stationName the receiver
 * @param frequencyMhz the frequency the receiver was tuned to
 * @param powerDbm received power: the recording's mean power in dBFS plus the calibration
 * @param snrDb in-band over out-of-band PSD, as the original platform computes it
 * @param frequencyOffsetHz strongest frequency relative to the tuning
 * @param signalQuality share of the demodulated audio's energy in the voice band, scaled so that
 *     noise alone scores 0 and a clean voice signal 1
 */
public record StationReading(
    String stationName,
    double frequencyMhz,
    double powerDbm,
    double snrDb,
    double frequencyOffsetHz,
    double signalQuality) {}
