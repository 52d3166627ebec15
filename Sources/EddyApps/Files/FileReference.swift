import Crypto
import Foundation

/// What `api-to-parquet` publishes on topic `files` for each file it wrote, and what `normalize-files`
/// checks before reading it.
///
/// ```json
/// {"path":"output/raw/20261129T061500123Z-0.parquet","rows":20,"bytes":2811,"sha256":"9f…","fetched_at":"2026-11-29T06:15:00.123Z","url":"http://…"}
/// ```
public struct FileReference: Codable, Sendable, Equatable {
    public var path: String
    public var rows: Int
    public var bytes: Int
    public var sha256: String
    public var fetchedAt: String
    public var url: String

    enum CodingKeys: String, CodingKey {
        case path, rows, bytes, sha256, url
        case fetchedAt = "fetched_at"
    }

    public init(path: String, rows: Int, bytes: Int, sha256: String, fetchedAt: String, url: String) {
        self.path = path
        self.rows = rows
        self.bytes = bytes
        self.sha256 = sha256
        self.fetchedAt = fetchedAt
        self.url = url
    }

    /// The reference as one JSON record.
    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }

    public static func decode(_ bytes: [UInt8]) -> FileReference? {
        try? JSONDecoder().decode(FileReference.self, from: Data(bytes))
    }

    /// Hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map {
            String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }
        .joined()
    }
}
