/**
 * Helpers shared by the packages of heimdall-core. Public only because Java has no
 * module-internal visibility without a module descriptor; not part of the API, and it may change
 * in any release.
 */
package io.heimdall.core.internal;
