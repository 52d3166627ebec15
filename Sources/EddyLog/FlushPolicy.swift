/// When appended bytes are forced to stable storage.
///
/// - `always`: `fsync` before an append returns. An acknowledged record survives `kill -9` and power loss.
/// - `interval(millis:bytes:)`: the default. Bytes reach the OS page cache before an append returns (so
///   they survive `kill -9` of the process), and are `fsync`ed at least every `millis` milliseconds or
///   `bytes` bytes, whichever comes first. A power loss may lose at most that window.
/// - `os`: never `fsync` explicitly; the OS writes back when it chooses. Survives `kill -9`, not power loss.
///
/// In ``FileLog``, `interval`'s flushes run on a background thread: every `millis`, and as soon as a
/// partition has `bytes` unflushed (the append only asks, so the disk write overlaps further appends; if
/// appends outrun the disk to `2 × bytes` unflushed, the append flushes inline, which bounds the risk).
/// The same thread syncs a rolled segment, its indexes and the new segment's directory entry, so a roll
/// never stalls an append; under `always` the roll syncs all of that before the append returns. Between
/// flushes it starts the kernel's write-back of new appends every 10 ms (`sync_file_range` on Linux), so
/// each `fsync` has little left to write and appends to the same file are not held up behind it.
/// ``MemoryLog`` accepts no policy: it has nothing to flush.
public enum FlushPolicy: Sendable, Hashable {
    case always
    case interval(millis: Int, bytes: Int)
    case os

    public static let `default` = FlushPolicy.interval(millis: 1000, bytes: 64 << 20)
}
