// Array forms of the variadic builders, for code that assembles a pipeline from a list (the SQL planner).

extension Pipeline {
    /// ``orderBy(_:)-(SortKey...)`` with the keys in an array.
    ///
    /// ```swift
    /// pipeline.orderBy([.descending("total_traffic"), .ascending("location")])
    /// ```
    public func orderBy(_ keys: [SortKey]) -> Pipeline {
        var copy = self
        copy.stages.append(.orderBy(keys))
        return copy
    }
}
