/** JMH benchmarks of every claim of the performance guide. */
package io.heimdall.bench;
