/**
 * The safetensors model format: a strict reader and validator ({@link io.modelcache.format.Safetensors}), a writer
 * for tests and simulations ({@link io.modelcache.format.SafetensorsWriter}) and the values they exchange
 * ({@link io.modelcache.format.DType}, {@link io.modelcache.format.TensorInfo},
 * {@link io.modelcache.format.TensorSpec}, {@link io.modelcache.format.SafetensorsIndex}).
 *
 * <p>This package owns the on-disk layout of safetensors files: the 8-byte little-endian header length, the UTF-8
 * JSON header and the rules that tie tensor shapes, dtypes and {@code data_offsets} to the data section. It does not
 * load tensor data into memory; callers map or copy the byte ranges that {@link io.modelcache.format.TensorInfo}
 * reports.
 *
 * <p>All offsets, lengths and sizes are {@code long} byte counts, so files and single tensors larger than 2 GiB are
 * represented exactly. Every class here is stateless (static methods only) or an immutable value, and therefore safe
 * to use from any number of threads at once. A file that breaks the format is refused with an
 * {@link io.modelcache.format.InvalidModelException} whose message names the file, the tensor, the offending value
 * and the limit it broke.
 */
package io.modelcache.format;
