/// One user's liked tracks, oldest first, as likes and unlikes arrive. Liking a track again moves it to
/// the newest place; unliking one that was never liked changes nothing.
///
/// ```swift
/// var profile = TasteProfile()
/// profile.like("2wrJq5XKLnmhRXHIAf9xBa", at: 1_700_000_000_000_000)
/// profile.unlike("2wrJq5XKLnmhRXHIAf9xBa")
/// profile.isEmpty   // true
/// ```
public struct TasteProfile: Sendable, Hashable {
    public struct Like: Sendable, Hashable {
        public var trackID: String
        /// Microseconds since the epoch.
        public var likedAt: Int64
    }

    public private(set) var likes: [Like] = []
    /// Changes with every like or unlike.
    public private(set) var version: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { likes.isEmpty }
    public var count: Int { likes.count }

    public func contains(_ trackID: String) -> Bool { likes.contains { $0.trackID == trackID } }

    public mutating func like(_ trackID: String, at micros: Int64) {
        likes.removeAll { $0.trackID == trackID }
        // Keep time order even when likes arrive out of order (an import of an older library).
        let place = likes.lastIndex { $0.likedAt <= micros }.map { $0 + 1 } ?? 0
        likes.insert(Like(trackID: trackID, likedAt: micros), at: place)
        version &+= 1
    }

    /// Returns whether the track was liked.
    @discardableResult
    public mutating func unlike(_ trackID: String) -> Bool {
        let before = likes.count
        likes.removeAll { $0.trackID == trackID }
        guard likes.count != before else { return false }
        version &+= 1
        return true
    }
}
