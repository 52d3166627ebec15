#ifndef CEDDY_CODECS_H
#define CEDDY_CODECS_H

#include <stddef.h>
#include <stdint.h>

/// Results of the codec calls below.
enum {
    EDDY_CODEC_OK = 0,
    /// The shared library that implements the codec could not be opened (see eddy_codec_library).
    EDDY_CODEC_MISSING_LIBRARY = -1,
    /// The compressed input is corrupt.
    EDDY_CODEC_CORRUPT = -2,
    /// The output buffer is too small (the decompressed size does not match what the file says).
    EDDY_CODEC_SHORT_OUTPUT = -3,
};

/// Codec identifiers (Parquet's CompressionCodec numbers).
enum {
    EDDY_CODEC_GZIP = 2,
    EDDY_CODEC_BROTLI = 4,
    EDDY_CODEC_ZSTD = 6,
    EDDY_CODEC_LZ4_RAW = 7,
};

/// The shared library name a dlopen'd codec needs (for error messages).
const char *eddy_codec_library(int codec);

/// Largest compressed size of `length` input bytes, or 0 when the codec is unavailable.
size_t eddy_codec_bound(int codec, size_t length);

/// Compresses `length` bytes into `output` (capacity `*outputLength`); on success `*outputLength` is the
/// compressed size. `level` is codec-specific (0 = the codec's default).
int eddy_codec_compress(int codec, const uint8_t *input, size_t length, uint8_t *output, size_t *outputLength,
                        int level);

/// Decompresses into `output`, whose capacity `*outputLength` is the expected size; on success
/// `*outputLength` is the decompressed size.
int eddy_codec_decompress(int codec, const uint8_t *input, size_t length, uint8_t *output, size_t *outputLength);

#endif
