/**
 * The exception root of the Heimdall SDK: {@link io.heimdall.HeimdallException} and its bad-input
 * branch {@link io.heimdall.InvalidInputException}, which every module's exceptions extend.
 */
package io.heimdall;
