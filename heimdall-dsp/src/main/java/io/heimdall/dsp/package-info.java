/** float32/complex64 signal processing and librosa-identical mel spectrograms. */
package io.heimdall.dsp;
