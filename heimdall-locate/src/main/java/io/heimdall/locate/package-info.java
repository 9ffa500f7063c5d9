/** Transmitter localisation from several receivers' readings. */
package io.heimdall.locate;
