#ifndef CEDDY_SUPPORT_H
#define CEDDY_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli), as Kafka's v2 record batches use it. `crc` is the running value (start with 0).
/// Uses the SSE4.2 crc32 instruction when the CPU has it, a table otherwise.
uint32_t eddy_crc32c(uint32_t crc, const void *data, size_t length);

/// The same CRC-32C computed with the table only, never the crc32 instruction (to test one against the other).
uint32_t eddy_crc32c_portable(uint32_t crc, const void *data, size_t length);

#endif
