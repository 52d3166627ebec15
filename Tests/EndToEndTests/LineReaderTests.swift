import Foundation
import Testing

@testable import eddy

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct LineReaderTests {
    enum Event: Equatable {
        case line(Int, String)
        case tooLong(Int, Int)
    }

    /// Feeds `input` through a pipe (in a background thread) and collects what the reader reports.
    func read(_ input: String, chunkBytes: Int, maxLineBytes: Int) throws -> [Event] {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let bytes = Array(input.utf8)
        let writeEnd = fds[1]
        let writer = Thread {
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(writeEnd, raw.baseAddress! + offset, min(777, raw.count - offset))
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(writeEnd)
        }
        writer.start()
        defer { close(fds[0]) }
        var events: [Event] = []
        try LineReader(descriptor: fds[0], chunkBytes: chunkBytes).forEachLine(maxLineBytes: maxLineBytes) {
            number, line in
            events.append(.line(number, String(decoding: line, as: UTF8.self)))
            return .proceed
        } tooLong: { number, size in
            events.append(.tooLong(number, size))
            return .proceed
        }
        return events
    }

    @Test func splitsLinesAcrossChunkBoundaries() throws {
        let lines = (0..<500).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }
        let input = lines.joined(separator: "\n") + "\n"
        for chunk in [1, 7, 64, 4096] {
            let events = try read(input, chunkBytes: chunk, maxLineBytes: 100)
            #expect(events == lines.enumerated().map { .line($0.offset + 1, $0.element) })
        }
    }

    @Test func handlesCRLFEmptyLinesAndAMissingFinalNewline() throws {
        let events = try read("a\r\n\nb\r\nlast", chunkBytes: 3, maxLineBytes: 10)
        #expect(events == [.line(1, "a"), .line(2, ""), .line(3, "b"), .line(4, "last")])
    }

    @Test func measuresOverlongLinesWithoutBufferingThem() throws {
        let long = String(repeating: "z", count: 1000)
        let events = try read("ok\n\(long)\nafter\n\(long)", chunkBytes: 16, maxLineBytes: 20)
        #expect(events == [.line(1, "ok"), .tooLong(2, 1000), .line(3, "after"), .tooLong(4, 1000)])
    }
}
