public import Foundation

extension Ratings {
    /// Adds one rating from a JSON object (`{"user_id", "item_id", "rating"}`; other fields ignored).
    ///
    /// ```swift
    /// var ratings = Ratings()
    /// try ratings.appendJSON(line: #"{"user_id": 1, "item_id": 50, "rating": 5}"#, number: 1)
    /// ```
    public mutating func appendJSON(_ bytes: UnsafeRawBufferPointer, line: Int) throws(RatingsError) {
        let parsed = try RatingLineParser.parse(bytes, line: line)
        append(user: parsed.user, item: parsed.item, rating: parsed.rating)
    }

    public mutating func appendJSON(_ bytes: [UInt8], line: Int) throws(RatingsError) {
        let result: Result<Void, RatingsError> = bytes.withUnsafeBytes { raw in
            do throws(RatingsError) {
                try appendJSON(raw, line: line)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    public mutating func appendJSON(line text: String, number: Int) throws(RatingsError) {
        var text = text
        let result: Result<Void, RatingsError> = text.withUTF8 { buffer in
            do throws(RatingsError) {
                try appendJSON(UnsafeRawBufferPointer(buffer), line: number)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Adds every line of JSON-lines text; blank lines are skipped, line numbers count from 1.
    public mutating func appendJSONLines(_ data: Data) throws(RatingsError) {
        let result: Result<Void, RatingsError> = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var start = 0
            var line = 0
            let count = bytes.count
            while start < count {
                line += 1
                var end = start
                while end < count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                var last = end
                while last > start, bytes[last - 1] == UInt8(ascii: "\r") || bytes[last - 1] == 0x20 {
                    last -= 1
                }
                if last > start {
                    do throws(RatingsError) {
                        try appendJSON(UnsafeRawBufferPointer(rebasing: bytes[start..<last]), line: line)
                    } catch {
                        return .failure(error)
                    }
                }
                start = end + 1
            }
            return .success(())
        }
        try result.get()
    }

    /// Reads a JSON-lines file of ratings.
    ///
    /// ```swift
    /// let ratings = try Ratings(contentsOfJSONLines: "ratings.jsonl")
    /// ```
    public init(contentsOfJSONLines path: String) throws(RatingsError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "permission denied or not a file" : "no such file"
            throw .unreadable(path: path, reason: reason)
        }
        self.init()
        reserveCapacity(data.count / 40)
        try appendJSONLines(data)
        if isEmpty { throw .empty(source: "'\(path)'") }
    }

    /// The ratings as JSON lines, in input order (for handing the same data to another tool).
    public func jsonLines() -> String {
        var out = ""
        out.reserveCapacity(count * 48)
        for i in 0..<count {
            out += "{\"user_id\":\(users.ids[Int(userIndices[i])].json),\"item_id\":"
            out += "\(items.ids[Int(itemIndices[i])].json),\"rating\":\(values[i])}\n"
        }
        return out
    }
}
