import EddyML
import Foundation

/// The titles of the items recommended, loaded from the catalogue a user has (the `items` setting):
/// MovieLens's `u.item` (`id|title|…`, Latin-1), JSON lines `{"item_id": 50, "title": "Star Wars (1977)"}`,
/// or CSV `item_id,title`. The API adds each item's title to its answer.
///
/// ```swift
/// let titles = try ItemTitles(contentsOf: "ml-100k/u.item")
/// titles[.int(50)]   // "Star Wars (1977)"
/// ```
struct ItemTitles: Sendable {
    private var titles: [ExternalID: String] = [:]

    subscript(item: ExternalID) -> String? { titles[item] }
    var count: Int { titles.count }

    init(contentsOf path: String) throws(ItemTitlesError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        // u.item is Latin-1; JSON lines and most CSVs are UTF-8.
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1)
        else { throw .unreadable(path) }
        try self.init(text: text, path: path)
    }

    init(text: String, path: String = "items") throws(ItemTitlesError) {
        var number = 0
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            number += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let (id, title) = Self.parse(trimmed) else {
                // A CSV header (`item_id,title`) is not an item.
                if number == 1 && !trimmed.hasPrefix("{") { continue }
                throw .malformed(path, line: number)
            }
            titles[id] = title
        }
    }

    private static func parse(_ line: String) -> (ExternalID, String)? {
        if line.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let title = object["title"] as? String
            else { return nil }
            if let number = object["item_id"] as? Int64 { return (.int(number), title) }
            if let text = object["item_id"] as? String { return (.string(text), title) }
            return nil
        }
        let separator: Character = line.contains("|") ? "|" : ","
        let fields = line.split(separator: separator, maxSplits: separator == "," ? 1 : 2)
        guard fields.count >= 2, let id = Int64(fields[0].trimmingCharacters(in: .whitespaces)) else {
            return nil
        }
        var title = fields[1].trimmingCharacters(in: .whitespaces)
        if title.count >= 2, title.hasPrefix("\""), title.hasSuffix("\"") {
            title = String(title.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        return (.int(id), title)
    }
}

/// Why the `items` file could not be loaded.
enum ItemTitlesError: Error, CustomStringConvertible {
    case unreadable(String)
    case malformed(String, line: Int)

    var description: String {
        switch self {
        case .unreadable(let path): "cannot read the item titles file \(path)"
        case .malformed(let path, let line):
            "\(path):\(line): not an item title (expected id|title|… as in MovieLens's u.item, {\"item_id\", \"title\"}, or item_id,title)"
        }
    }
}
