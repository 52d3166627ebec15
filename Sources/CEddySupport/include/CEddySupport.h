#ifndef CEDDY_SUPPORT_H
#define CEDDY_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli), as Kafka's v2 record batches use it. `crc` is the running value (start with 0).
/// Uses the SSE4.2 crc32 instruction when the CPU has it, a table otherwise.
uint32_t eddy_crc32c(uint32_t crc, const void *data, size_t length);

/// The same CRC-32C computed with the table only, never the crc32 instruction (to test one against the other).
uint32_t eddy_crc32c_portable(uint32_t crc, const void *data, size_t length);

/// Inflates gzip (or zlib) data with the system zlib. `*out` is malloc'ed (free it) and `*out_length` set;
/// returns 0, or a negative zlib error code (-100: over `max_length`).
int eddy_gunzip(const void *data, size_t length, size_t max_length, uint8_t **out, size_t *out_length);

/// Deflates `data` as gzip (level 6); `*out` is malloc'ed (free it). Returns 0 or a zlib error code.
int eddy_gzip(const void *data, size_t length, uint8_t **out, size_t *out_length);

/// Starts writing back `count` bytes of `fd` from `offset` without waiting for it (Linux's
/// `sync_file_range(SYNC_FILE_RANGE_WRITE)`; elsewhere nothing). Keeps the dirty data a later `fsync` must
/// write small, so that `fsync` is short and appends to the same file are not held up behind it.
/// Returns 0 or -1 with `errno` set.
int eddy_start_writeback(int fd, int64_t offset, int64_t count);

#endif
