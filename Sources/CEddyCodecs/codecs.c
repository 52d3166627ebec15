// zlib is linked (its headers and library are in the base image); zstd, lz4 and brotli are opened at run
// time so that the build needs no development package, and a missing library is an error at use, naming it.
#include "CEddyCodecs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <zlib.h>

typedef size_t (*zstd_bound_fn)(size_t);
typedef size_t (*zstd_compress_fn)(void *, size_t, const void *, size_t, int);
typedef size_t (*zstd_decompress_fn)(void *, size_t, const void *, size_t);
typedef unsigned (*zstd_is_error_fn)(size_t);
typedef void *(*zstd_create_ctx_fn)(void);
typedef size_t (*zstd_compress_ctx_fn)(void *, void *, size_t, const void *, size_t, int);
typedef size_t (*zstd_decompress_ctx_fn)(void *, void *, size_t, const void *, size_t);
typedef int (*lz4_bound_fn)(int);
typedef int (*lz4_compress_fn)(const char *, char *, int, int);
typedef int (*lz4_decompress_fn)(const char *, char *, int, int);
typedef int (*brotli_decompress_fn)(size_t, const uint8_t *, size_t *, uint8_t *);
typedef int (*brotli_compress_fn)(int, int, int, size_t, const uint8_t *, size_t *, uint8_t *);
typedef size_t (*brotli_bound_fn)(size_t);

static struct {
    pthread_once_t once;
    zstd_bound_fn bound;
    zstd_compress_fn compress;
    zstd_decompress_fn decompress;
    zstd_is_error_fn is_error;
    // Contexts reused per thread (optional: older libraries without them use the one-shot calls, which
    // allocate a context of ~100 KiB per page).
    zstd_create_ctx_fn create_cctx;
    zstd_create_ctx_fn create_dctx;
    zstd_compress_ctx_fn compress_ctx;
    zstd_decompress_ctx_fn decompress_ctx;
} zstd = {PTHREAD_ONCE_INIT};

static struct {
    pthread_once_t once;
    lz4_bound_fn bound;
    lz4_compress_fn compress;
    lz4_decompress_fn decompress;
} lz4 = {PTHREAD_ONCE_INIT};

static struct {
    pthread_once_t once;
    brotli_decompress_fn decompress;
    brotli_compress_fn compress;
    brotli_bound_fn bound;
} brotli = {PTHREAD_ONCE_INIT};

static void *open_library(const char *name) { return dlopen(name, RTLD_NOW | RTLD_LOCAL); }

static void load_zstd(void) {
    void *lib = open_library("libzstd.so.1");
    if (!lib) return;
    zstd.bound = (zstd_bound_fn)dlsym(lib, "ZSTD_compressBound");
    zstd.compress = (zstd_compress_fn)dlsym(lib, "ZSTD_compress");
    zstd.decompress = (zstd_decompress_fn)dlsym(lib, "ZSTD_decompress");
    zstd.is_error = (zstd_is_error_fn)dlsym(lib, "ZSTD_isError");
    if (!zstd.bound || !zstd.compress || !zstd.decompress || !zstd.is_error) zstd.decompress = NULL;
    zstd.create_cctx = (zstd_create_ctx_fn)dlsym(lib, "ZSTD_createCCtx");
    zstd.create_dctx = (zstd_create_ctx_fn)dlsym(lib, "ZSTD_createDCtx");
    zstd.compress_ctx = (zstd_compress_ctx_fn)dlsym(lib, "ZSTD_compressCCtx");
    zstd.decompress_ctx = (zstd_decompress_ctx_fn)dlsym(lib, "ZSTD_decompressDCtx");
}

static void load_lz4(void) {
    void *lib = open_library("liblz4.so.1");
    if (!lib) return;
    lz4.bound = (lz4_bound_fn)dlsym(lib, "LZ4_compressBound");
    lz4.compress = (lz4_compress_fn)dlsym(lib, "LZ4_compress_default");
    lz4.decompress = (lz4_decompress_fn)dlsym(lib, "LZ4_decompress_safe");
    if (!lz4.bound || !lz4.compress || !lz4.decompress) lz4.decompress = NULL;
}

static void load_brotli(void) {
    void *dec = open_library("libbrotlidec.so.1");
    if (dec) brotli.decompress = (brotli_decompress_fn)dlsym(dec, "BrotliDecoderDecompress");
    void *enc = open_library("libbrotlienc.so.1");
    if (enc) {
        brotli.compress = (brotli_compress_fn)dlsym(enc, "BrotliEncoderCompress");
        brotli.bound = (brotli_bound_fn)dlsym(enc, "BrotliEncoderMaxCompressedSize");
    }
}

const char *eddy_codec_library(int codec) {
    switch (codec) {
    case EDDY_CODEC_GZIP: return "libz.so.1";
    case EDDY_CODEC_BROTLI: return "libbrotlidec.so.1 / libbrotlienc.so.1";
    case EDDY_CODEC_ZSTD: return "libzstd.so.1";
    case EDDY_CODEC_LZ4_RAW: return "liblz4.so.1";
    default: return "";
    }
}

size_t eddy_codec_bound(int codec, size_t length) {
    switch (codec) {
    case EDDY_CODEC_GZIP: return compressBound((uLong)length) + 32;  // + the gzip header and trailer
    case EDDY_CODEC_ZSTD:
        pthread_once(&zstd.once, load_zstd);
        return zstd.decompress ? zstd.bound(length) : 0;
    case EDDY_CODEC_LZ4_RAW:
        pthread_once(&lz4.once, load_lz4);
        if (!lz4.decompress || length > 0x7E000000) return 0;
        return (size_t)lz4.bound((int)length);
    case EDDY_CODEC_BROTLI:
        pthread_once(&brotli.once, load_brotli);
        return brotli.bound ? brotli.bound(length) : 0;
    default: return 0;
    }
}

static int gzip_compress(const uint8_t *input, size_t length, uint8_t *output, size_t *outputLength, int level) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    // windowBits 15 + 16: a gzip wrapper, as Parquet's GZIP codec means (RFC 1952).
    if (deflateInit2(&stream, level ? level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return EDDY_CODEC_CORRUPT;
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)*outputLength;
    int status = deflate(&stream, Z_FINISH);
    *outputLength = stream.total_out;
    deflateEnd(&stream);
    return status == Z_STREAM_END ? EDDY_CODEC_OK : EDDY_CODEC_SHORT_OUTPUT;
}

static int gzip_decompress(const uint8_t *input, size_t length, uint8_t *output, size_t *outputLength) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, 15 + 32) != Z_OK) return EDDY_CODEC_CORRUPT;  // 32: gzip or zlib, detected
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)*outputLength;
    int status;
    for (;;) {
        status = inflate(&stream, Z_FINISH);
        // Concatenated gzip members: start the next one.
        if (status == Z_STREAM_END && stream.avail_in > 0 && stream.avail_out > 0) {
            if (inflateReset(&stream) != Z_OK) break;
            continue;
        }
        break;
    }
    *outputLength = stream.total_out;
    inflateEnd(&stream);
    if (status == Z_STREAM_END) return EDDY_CODEC_OK;
    if (status == Z_BUF_ERROR && stream.avail_out == 0) return EDDY_CODEC_SHORT_OUTPUT;
    return EDDY_CODEC_CORRUPT;
}

int eddy_codec_compress(int codec, const uint8_t *input, size_t length, uint8_t *output, size_t *outputLength,
                        int level) {
    switch (codec) {
    case EDDY_CODEC_GZIP: return gzip_compress(input, length, output, outputLength, level);
    case EDDY_CODEC_ZSTD: {
        pthread_once(&zstd.once, load_zstd);
        if (!zstd.decompress) return EDDY_CODEC_MISSING_LIBRARY;
        static __thread void *cctx;
        if (!cctx && zstd.create_cctx && zstd.compress_ctx) cctx = zstd.create_cctx();
        size_t written = cctx ? zstd.compress_ctx(cctx, output, *outputLength, input, length, level ? level : 1)
                              : zstd.compress(output, *outputLength, input, length, level ? level : 1);
        if (zstd.is_error(written)) return EDDY_CODEC_SHORT_OUTPUT;
        *outputLength = written;
        return EDDY_CODEC_OK;
    }
    case EDDY_CODEC_LZ4_RAW: {
        pthread_once(&lz4.once, load_lz4);
        if (!lz4.decompress) return EDDY_CODEC_MISSING_LIBRARY;
        if (length > 0x7E000000 || *outputLength > 0x7FFFFFFF) return EDDY_CODEC_SHORT_OUTPUT;
        int written = lz4.compress((const char *)input, (char *)output, (int)length, (int)*outputLength);
        if (written <= 0) return EDDY_CODEC_SHORT_OUTPUT;
        *outputLength = (size_t)written;
        return EDDY_CODEC_OK;
    }
    case EDDY_CODEC_BROTLI: {
        pthread_once(&brotli.once, load_brotli);
        if (!brotli.compress) return EDDY_CODEC_MISSING_LIBRARY;
        // quality 5, window 22 (BROTLI_DEFAULT_WINDOW), mode generic
        if (!brotli.compress(level ? level : 5, 22, 0, length, input, outputLength, output))
            return EDDY_CODEC_SHORT_OUTPUT;
        return EDDY_CODEC_OK;
    }
    default: return EDDY_CODEC_CORRUPT;
    }
}

int eddy_codec_decompress(int codec, const uint8_t *input, size_t length, uint8_t *output, size_t *outputLength) {
    switch (codec) {
    case EDDY_CODEC_GZIP: return gzip_decompress(input, length, output, outputLength);
    case EDDY_CODEC_ZSTD: {
        pthread_once(&zstd.once, load_zstd);
        if (!zstd.decompress) return EDDY_CODEC_MISSING_LIBRARY;
        static __thread void *dctx;
        if (!dctx && zstd.create_dctx && zstd.decompress_ctx) dctx = zstd.create_dctx();
        size_t written = dctx ? zstd.decompress_ctx(dctx, output, *outputLength, input, length)
                              : zstd.decompress(output, *outputLength, input, length);
        if (zstd.is_error(written)) return EDDY_CODEC_CORRUPT;
        *outputLength = written;
        return EDDY_CODEC_OK;
    }
    case EDDY_CODEC_LZ4_RAW: {
        pthread_once(&lz4.once, load_lz4);
        if (!lz4.decompress) return EDDY_CODEC_MISSING_LIBRARY;
        if (length > 0x7FFFFFFF || *outputLength > 0x7FFFFFFF) return EDDY_CODEC_CORRUPT;
        int written = lz4.decompress((const char *)input, (char *)output, (int)length, (int)*outputLength);
        if (written < 0) return EDDY_CODEC_CORRUPT;
        *outputLength = (size_t)written;
        return EDDY_CODEC_OK;
    }
    case EDDY_CODEC_BROTLI: {
        pthread_once(&brotli.once, load_brotli);
        if (!brotli.decompress) return EDDY_CODEC_MISSING_LIBRARY;
        // BROTLI_DECODER_RESULT_SUCCESS == 1
        if (brotli.decompress(length, input, outputLength, output) != 1) return EDDY_CODEC_CORRUPT;
        return EDDY_CODEC_OK;
    }
    default: return EDDY_CODEC_CORRUPT;
    }
}
