/// External ids (``ExternalID``) ↔ dense indices `0..<count`, in order of first appearance. Factor
/// matrices are indexed by the dense index; the map turns answers back into the caller's ids.
///
/// ```swift
/// var users = IDMap()
/// let index = users.insert(.int(42))   // 0
/// users.index(of: .int(42))            // 0
/// users.ids[0]                          // .int(42)
/// ```
public struct IDMap: Sendable {
    public private(set) var ids: [ExternalID] = []
    // Integer ids (the common case) avoid hashing the enum and any string.
    private var ints: [Int64: Int32] = [:]
    private var strings: [String: Int32] = [:]

    public init() {}

    public init(_ ids: [ExternalID]) {
        for id in ids { insert(id) }
    }

    public var count: Int { ids.count }

    public func index(of id: ExternalID) -> Int32? {
        switch id {
        case .int(let value): return ints[value]
        case .string(let value): return strings[value]
        }
    }

    public func index(ofInt value: Int64) -> Int32? { ints[value] }

    /// The index of `id`, adding it when new.
    @discardableResult
    public mutating func insert(_ id: ExternalID) -> Int32 {
        switch id {
        case .int(let value): return insert(int: value)
        case .string(let value):
            if let index = strings[value] { return index }
            let index = Int32(ids.count)
            strings[value] = index
            ids.append(id)
            return index
        }
    }

    @inline(__always)
    public mutating func insert(int value: Int64) -> Int32 {
        if let index = ints[value] { return index }
        let index = Int32(ids.count)
        ints[value] = index
        ids.append(.int(value))
        return index
    }

    public mutating func reserveCapacity(_ count: Int) {
        ids.reserveCapacity(count)
        ints.reserveCapacity(count)
    }
}
