import Foundation

/// Track ids from what users have at hand without the Web API: Spotify's data export (`YourLibrary.json`,
/// whose `tracks` entries carry a `uri` such as `spotify:track:ID`) or a CSV whose `track_id` column (else its
/// first column) holds ids, `spotify:track:` URIs or `open.spotify.com/track/` links.
///
/// ```swift
/// let ids = try SpotifyExport.trackIDs(fromFile: "YourLibrary.json")
/// SpotifyExport.trackID(from: "https://open.spotify.com/track/2wrJq5XKLnmhRXHIAf9xBa?si=x")  // "2wrJq5XKLnmhRXHIAf9xBa"
/// ```
public enum SpotifyExport {
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// A Spotify track id (22 base-62 characters) from an id, URI or link; nil when there is none.
    public static func trackID(from text: some StringProtocol) -> String? {
        var candidate = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines.union(["\""])))
        if let range = candidate.range(of: "spotify:track:") {
            candidate = candidate[range.upperBound...]
        } else if let range = candidate.range(of: "/track/") {
            candidate = candidate[range.upperBound...]
        }
        let id = candidate.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return id.count == 22 ? String(id) : nil
    }

    public static func trackIDs(fromFile path: String) throws(Problem) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.drop(while: { $0.isWhitespace }).first == "{" {
            return try trackIDs(fromLibraryJSON: data, path: path)
        }
        return try trackIDs(fromCSV: text, path: path)
    }

    static func trackIDs(fromLibraryJSON data: Data, path: String) throws(Problem) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let tracks = object["tracks"] as? [[String: Any]]
        else {
            throw Problem(description: "\(path) is not a Spotify YourLibrary.json (no \"tracks\" array)")
        }
        return tracks.compactMap { ($0["uri"] as? String).flatMap { trackID(from: $0) } }
    }

    static func trackIDs(fromCSV text: String, path: String) throws(Problem) -> [String] {
        var lines = text.split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        guard let header = lines.first else { throw Problem(description: "\(path) is empty") }
        var column = 0
        if let named = header.firstIndex(where: {
            $0.trimmingCharacters(in: .whitespaces.union(["\""])) == "track_id"
        }) {
            column = named
            lines.removeFirst()
        } else if header.first.flatMap({ trackID(from: $0) }) == nil {
            lines.removeFirst()  // a header naming something else
        }
        return lines.compactMap { $0.count > column ? trackID(from: $0[column]) : nil }
    }
}
