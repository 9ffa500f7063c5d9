/** Domain records, persistence, the task queue and the localisation pipeline. */
package io.heimdall.core;
