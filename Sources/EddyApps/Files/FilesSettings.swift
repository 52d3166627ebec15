import Foundation

/// Parsing the seed 004 apps' settings (`every`, `header`), shared by both apps' checks and launches.
enum FilesSettings {
    /// `30s`, `500ms`, `2m`, or plain seconds.
    static func duration(_ text: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let n = Double(text.dropLast(suffix.count)), n > 0, n.isFinite {
                return .milliseconds(Int64(n * scale * 1000))
            }
        }
        if let n = Double(text), n > 0, n.isFinite { return .milliseconds(Int64(n * 1000)) }
        throw SettingError("must be a positive duration such as 30s, 500ms or 2m (got '\(text)')")
    }

    /// `Name: value` headers, several separated by newlines.
    static func headers(_ text: String) throws -> [(name: String, value: String)] {
        try text.split(whereSeparator: \.isNewline).map { line in
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw SettingError("a header is 'Name: value' (got '\(line)')")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return (name, value)
        }
    }

    static func pointer(_ text: String) throws -> String {
        guard text.isEmpty || text.hasPrefix("/") else {
            throw SettingError(
                "must be a JSON pointer such as /data/items, or empty for the document (got '\(text)')")
        }
        return text
    }
}
