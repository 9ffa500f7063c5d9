package io.heimdall.pipeline;

import java.time.Duration;

/**
 * Counters of a {@link LocalizationPipeline} since it was built. Stage times are busy time summed
 * over all workers: with several workers they add up to more than the wall-clock time.
 *
 * @param completed tasks whose result was stored and acknowledged
 * @param failed tasks that ran out of attempts
 * @param retried failed attempts that returned their task to the queue
 * @param measurements measurements stored
 * @param acquire time spent getting recordings from the {@link RecordingSource}
 * @param dsp time spent in IQ metrics, demodulation, resampling and mel spectrograms
 * @param inference time from submitting to the micro-batcher to holding the location
 * @param dbWrite time spent storing measurements and results and acknowledging tasks
 */
public record PipelineStats(
    long completed,
    long failed,
    long retried,
    long measurements,
    Duration acquire,
    Duration dsp,
    Duration inference,
    Duration dbWrite) {}
