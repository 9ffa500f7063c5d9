/**
 * Reading and writing NumPy {@code .npy} files of float32 and complex64 arrays: {@link
 * io.heimdall.npy.Npy} reads and writes, {@link io.heimdall.npy.NpyArray} holds a shape and its
 * values, and a file that is not a supported array throws {@link
 * io.heimdall.npy.NpyFormatException}, a kind of {@link io.heimdall.InvalidInputException}.
 */
package io.heimdall.npy;
