package io.heimdall.inference;

/**
 * A reference WebSDR receiver site.
 *
 * @param name the site's name
 * @param latitude degrees north
 * @param longitude degrees east
 */
public record Receiver(String name, double latitude, double longitude) {}
