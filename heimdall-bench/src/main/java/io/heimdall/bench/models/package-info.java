/**
 * Builds derived variants of heimdall-inference's reference models (the statically quantised int8
 * CNN), with calibration data from heimdall-dsp; the results are committed as heimdall-inference
 * resources.
 */
package io.heimdall.bench.models;
