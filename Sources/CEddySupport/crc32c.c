#include "CEddySupport.h"

#include <string.h>

// Table-driven fallback (reflected polynomial 0x82F63B78), built once.
static uint32_t crc32c_table[8][256];
static int crc32c_table_ready = 0;

static void crc32c_build_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t crc = i;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
        crc32c_table[0][i] = crc;
    }
    for (uint32_t i = 0; i < 256; i++) {
        for (int t = 1; t < 8; t++) {
            crc32c_table[t][i] = (crc32c_table[t - 1][i] >> 8) ^ crc32c_table[0][crc32c_table[t - 1][i] & 0xFF];
        }
    }
    __atomic_store_n(&crc32c_table_ready, 1, __ATOMIC_RELEASE);
}

static uint32_t crc32c_software(uint32_t crc, const uint8_t *p, size_t n) {
    if (!__atomic_load_n(&crc32c_table_ready, __ATOMIC_ACQUIRE)) crc32c_build_table();
    crc = ~crc;
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        word ^= crc;
        crc = crc32c_table[7][word & 0xFF] ^ crc32c_table[6][(word >> 8) & 0xFF] ^
              crc32c_table[5][(word >> 16) & 0xFF] ^ crc32c_table[4][(word >> 24) & 0xFF] ^
              crc32c_table[3][(word >> 32) & 0xFF] ^ crc32c_table[2][(word >> 40) & 0xFF] ^
              crc32c_table[1][(word >> 48) & 0xFF] ^ crc32c_table[0][word >> 56];
        p += 8;
        n -= 8;
    }
    while (n--) crc = (crc >> 8) ^ crc32c_table[0][(crc ^ *p++) & 0xFF];
    return ~crc;
}

#if defined(__x86_64__)
#include <pthread.h>

// The crc32 instruction has a latency of 3 cycles and a throughput of 1, so one dependency chain uses a
// third of it. Long inputs run three independent chains over three consecutive lanes and then join
// them: the raw CRC register is linear, so the state after lanes A, B, C is
// shift(a, 2L) ^ shift(b, L) ^ c, where b and c start from 0 and shift(v, n) is v advanced over n zero
// bytes, done with four 256-entry tables per shift distance.
#define CRC32C_LANE 2048

static uint32_t crc32c_shift_lane[4][256];   // advance over CRC32C_LANE zero bytes
static uint32_t crc32c_shift_2lane[4][256];  // advance over 2 * CRC32C_LANE zero bytes
static pthread_once_t crc32c_shift_once = PTHREAD_ONCE_INIT;

static uint32_t crc32c_zeros_software(uint32_t raw, size_t n) {
    while (n--) raw = (raw >> 8) ^ crc32c_table[0][raw & 0xFF];
    return raw;
}

static void crc32c_build_shift_tables(void) {
    if (!__atomic_load_n(&crc32c_table_ready, __ATOMIC_ACQUIRE)) crc32c_build_table();
    uint32_t lane[32], lane2[32];
    for (int bit = 0; bit < 32; bit++) {
        lane[bit] = crc32c_zeros_software(1u << bit, CRC32C_LANE);
        lane2[bit] = crc32c_zeros_software(lane[bit], CRC32C_LANE);
    }
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t x = 0, y = 0;
            for (int i = 0; i < 8; i++) {
                if (b & (1u << i)) {
                    x ^= lane[k * 8 + i];
                    y ^= lane2[k * 8 + i];
                }
            }
            crc32c_shift_lane[k][b] = x;
            crc32c_shift_2lane[k][b] = y;
        }
    }
}

static inline uint32_t crc32c_shift(uint32_t table[4][256], uint32_t v) {
    return table[0][v & 0xFF] ^ table[1][(v >> 8) & 0xFF] ^ table[2][(v >> 16) & 0xFF] ^ table[3][v >> 24];
}

__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = ~crc;
    if (n >= 3 * CRC32C_LANE) {
        pthread_once(&crc32c_shift_once, crc32c_build_shift_tables);
        while (n >= 3 * CRC32C_LANE) {
            uint64_t c1 = 0, c2 = 0;
            const uint8_t *a = p, *b = p + CRC32C_LANE, *d = p + 2 * CRC32C_LANE;
            for (size_t i = 0; i < CRC32C_LANE; i += 8) {
                uint64_t wa, wb, wd;
                memcpy(&wa, a + i, 8);
                memcpy(&wb, b + i, 8);
                memcpy(&wd, d + i, 8);
                c = __builtin_ia32_crc32di(c, wa);
                c1 = __builtin_ia32_crc32di(c1, wb);
                c2 = __builtin_ia32_crc32di(c2, wd);
            }
            c = crc32c_shift(crc32c_shift_2lane, (uint32_t)c) ^ crc32c_shift(crc32c_shift_lane, (uint32_t)c1) ^
                (uint32_t)c2;
            p += 3 * CRC32C_LANE;
            n -= 3 * CRC32C_LANE;
        }
    }
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}
#endif

uint32_t eddy_crc32c(uint32_t crc, const void *data, size_t length) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2")) return crc32c_sse42(crc, (const uint8_t *)data, length);
#endif
    return crc32c_software(crc, (const uint8_t *)data, length);
}

uint32_t eddy_crc32c_portable(uint32_t crc, const void *data, size_t length) {
    return crc32c_software(crc, (const uint8_t *)data, length);
}
