/** Reading and writing NumPy .npy tensor files. */
package io.heimdall.npy;
