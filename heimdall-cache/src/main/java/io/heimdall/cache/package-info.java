/** The cache-aside decorator with local and shared tiers. */
package io.heimdall.cache;
