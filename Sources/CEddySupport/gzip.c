#include "CEddySupport.h"

#include <stdlib.h>
#include <zlib.h>

int eddy_gunzip(const void *data, size_t length, size_t max_length, uint8_t **out, size_t *out_length) {
    z_stream stream = {0};
    // 15 + 32: accept both gzip and zlib headers, as Kafka clients differ.
    int rc = inflateInit2(&stream, 15 + 32);
    if (rc != Z_OK) return rc;
    size_t capacity = length * 4 + 1024;
    if (capacity > max_length) capacity = max_length;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { inflateEnd(&stream); return Z_MEM_ERROR; }
    stream.next_in = (Bytef *)data;
    stream.avail_in = (uInt)length;
    size_t produced = 0;
    for (;;) {
        if (produced == capacity) {
            if (capacity >= max_length) { free(buffer); inflateEnd(&stream); return -100; }
            size_t next = capacity * 2;
            if (next > max_length) next = max_length;
            uint8_t *grown = realloc(buffer, next);
            if (!grown) { free(buffer); inflateEnd(&stream); return Z_MEM_ERROR; }
            buffer = grown;
            capacity = next;
        }
        stream.next_out = buffer + produced;
        stream.avail_out = (uInt)(capacity - produced);
        rc = inflate(&stream, Z_NO_FLUSH);
        produced = capacity - stream.avail_out;
        if (rc == Z_STREAM_END) {
            // Concatenated gzip members are legal; continue with the next one if bytes remain.
            if (stream.avail_in > 0) { inflateReset(&stream); continue; }
            break;
        }
        if (rc == Z_BUF_ERROR && stream.avail_in == 0) { free(buffer); inflateEnd(&stream); return Z_DATA_ERROR; }
        if (rc != Z_OK && rc != Z_BUF_ERROR) { free(buffer); inflateEnd(&stream); return rc; }
    }
    inflateEnd(&stream);
    *out = buffer;
    *out_length = produced;
    return 0;
}

int eddy_gzip(const void *data, size_t length, uint8_t **out, size_t *out_length) {
    z_stream stream = {0};
    int rc = deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) return rc;
    size_t capacity = deflateBound(&stream, (uLong)length) + 32;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { deflateEnd(&stream); return Z_MEM_ERROR; }
    stream.next_in = (Bytef *)data;
    stream.avail_in = (uInt)length;
    stream.next_out = buffer;
    stream.avail_out = (uInt)capacity;
    rc = deflate(&stream, Z_FINISH);
    if (rc != Z_STREAM_END) { free(buffer); deflateEnd(&stream); return rc == Z_OK ? Z_BUF_ERROR : rc; }
    *out = buffer;
    *out_length = stream.total_out;
    deflateEnd(&stream);
    return 0;
}
