/// User–item ratings in coordinate form (three parallel arrays) with the id maps that give each user and
/// item a dense index. Training turns them into ``SparseRows`` per user and per item.
///
/// ```swift
/// var ratings = Ratings()
/// ratings.append(user: .int(1), item: .int(50), rating: 5)
/// ratings.append(user: .string("ann"), item: .int(50), rating: 3.5)
/// ratings.count          // 2
/// ratings.users.count    // 2
/// ```
public struct Ratings: Sendable {
    public private(set) var users = IDMap()
    public private(set) var items = IDMap()
    public private(set) var userIndices: [Int32] = []
    public private(set) var itemIndices: [Int32] = []
    public private(set) var values: [Float] = []

    public init() {}

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    public mutating func append(user: ExternalID, item: ExternalID, rating: Float) {
        userIndices.append(users.insert(user))
        itemIndices.append(items.insert(item))
        values.append(rating)
    }

    /// The integer-id fast path (simulators, benchmarks): no enum is built per rating.
    public mutating func append(userInt user: Int64, itemInt item: Int64, rating: Float) {
        userIndices.append(users.insert(int: user))
        itemIndices.append(items.insert(int: item))
        values.append(rating)
    }

    public mutating func reserveCapacity(_ count: Int) {
        userIndices.reserveCapacity(count)
        itemIndices.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    /// The ratings as rows of users (columns are item indices), or of items (columns are user indices).
    public func byUser() -> SparseRows {
        SparseRows(
            rows: userIndices, columns: itemIndices, values: values, rowCount: users.count,
            columnCount: items.count)
    }

    public func byItem() -> SparseRows {
        SparseRows(
            rows: itemIndices, columns: userIndices, values: values, rowCount: items.count,
            columnCount: users.count)
    }

    /// The ratings whose value passes `isIncluded`, re-indexed (ids that lose all ratings disappear).
    public func filter(_ isIncluded: (Float) -> Bool) -> Ratings {
        var kept = Ratings()
        for i in 0..<count where isIncluded(values[i]) {
            kept.append(
                user: users.ids[Int(userIndices[i])], item: items.ids[Int(itemIndices[i])], rating: values[i])
        }
        return kept
    }
}
