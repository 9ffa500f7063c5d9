/**
 * Locating a transmitter from the time differences of arrival of one transmission at receivers
 * whose clocks are GPS-disciplined: {@link io.heimdall.locate.tdoa.TdoaLocalizer} over {@link
 * io.heimdall.locate.tdoa.TimedRecording}s.
 */
package io.heimdall.locate.tdoa;
