/// Rebuilds nested columns from leaves' definition and repetition levels (the Dremel encoding) into
/// Arrow-style arrays: a struct's validity and a list's offsets are read from any leaf below them.
///
/// A "slot" is a run of level entries that forms one value at some depth: at the top, entries starting
/// with repetition level 0 (one per row); passing a repeated node splits each present slot at the
/// entries whose repetition level equals the node's, which are its elements.
struct LevelAssembler {
    let leaves: [LeafData]

    struct Slots {
        /// nil: one slot per entry (no repeated node passed yet and the leaf is not repeated).
        var starts: [Int]?
        var ends: [Int]
        var count: Int

        func start(_ i: Int) -> Int { starts?[i] ?? i }
    }

    func build(_ plan: AssemblyPlan, parentPath: [SchemaNode]) throws(ParquetError) -> ColumnArray {
        switch plan {
        case .leaf(let node):
            let leaf = leaves[node.leafIndex!]
            let slots = walk(parentPath + [node], leaf)
            return try leafArray(leaf, slots: slots)
        case .structure(let node, let children):
            let path = parentPath + [node]
            let leaf = leaves[node.firstLeaf.leafIndex!]
            let slots = walk(path, leaf)
            var columns: [ColumnArray] = []
            for child in children { columns.append(try build(child, parentPath: path)) }
            for column in columns where column.count != slots.count {
                throw .corrupt("struct '\(node.name)' has fields of different lengths")
            }
            return ColumnArray(structure: columns, count: slots.count, validity: validity(slots, leaf, node))
        case .list(let outer, let repeated, let element):
            let listPath = parentPath + (outer.map { [$0] } ?? [])
            let leaf = leaves[repeated.firstLeaf.leafIndex!]
            let slots = walk(listPath, leaf)
            let (_, offsets) = expand(slots, through: repeated, leaf)
            let elementParent = element.node === repeated ? listPath : listPath + [repeated]
            let elements = try build(element, parentPath: elementParent)
            guard elements.count == Int(offsets.last ?? 0) else {
                throw .corrupt(
                    "list '\(repeated.name)' has \(elements.count) elements, its offsets say \(offsets.last ?? 0)"
                )
            }
            return ColumnArray(
                list: offsets, element: elements, validity: outer.flatMap { validity(slots, leaf, $0) })
        }
    }

    func topSlots(_ leaf: LeafData) -> Slots {
        let entries = leaf.entryCount
        guard leaf.maxRepetition > 0 else { return Slots(starts: nil, ends: [], count: entries) }
        var starts: [Int] = []
        var ends: [Int] = []
        for (i, level) in leaf.repetitionLevels.enumerated() where level == 0 {
            if !starts.isEmpty { ends.append(i) }
            starts.append(i)
        }
        if !starts.isEmpty { ends.append(entries) }
        return Slots(starts: starts, ends: ends, count: starts.count)
    }

    func walk(_ path: [SchemaNode], _ leaf: LeafData) -> Slots {
        var slots = topSlots(leaf)
        for node in path where node.isRepeated { slots = expand(slots, through: node, leaf).0 }
        return slots
    }

    func expand(_ slots: Slots, through node: SchemaNode, _ leaf: LeafData) -> (Slots, [Int32]) {
        let def = leaf.definitionLevels
        let rep = leaf.repetitionLevels
        let k = UInt8(clamping: node.repetitionLevel)
        let d = UInt8(clamping: node.definitionLevel)
        var starts: [Int] = []
        var ends: [Int] = []
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(slots.count + 1)
        for i in 0..<slots.count {
            let s = slots.start(i)
            let e = slots.starts == nil ? s + 1 : slots.ends[i]
            if def[s] >= d {
                starts.append(s)
                var j = s + 1
                while j < e {
                    if rep[j] == k {
                        ends.append(j)
                        starts.append(j)
                    }
                    j += 1
                }
                ends.append(e)
            }
            offsets.append(Int32(truncatingIfNeeded: starts.count))
        }
        return (Slots(starts: starts, ends: ends, count: starts.count), offsets)
    }

    func validity(_ slots: Slots, _ leaf: LeafData, _ node: SchemaNode) -> [Bool]? {
        guard node.element.repetition == .optional, leaf.maxDefinition > 0 else { return nil }
        let d = UInt8(clamping: node.definitionLevel)
        let def = leaf.definitionLevels
        var all = true
        let valid = (0..<slots.count).map { i in
            let v = def[slots.start(i)] >= d
            if !v { all = false }
            return v
        }
        return all ? nil : valid
    }

    func leafArray(_ leaf: LeafData, slots: Slots) throws(ParquetError) -> ColumnArray {
        let values = leaf.values.finish()
        guard leaf.maxDefinition > 0 else { return ColumnArray(values) }
        // A flat leaf with as many values as entries has no nulls: its levels need no second look.
        if slots.starts == nil && values.count == slots.count { return ColumnArray(values) }
        let max = UInt8(clamping: leaf.maxDefinition)
        var present = [Bool](repeating: false, count: slots.count)
        var presentCount = 0
        leaf.definitionLevels.withUnsafeBufferPointer { def in
            present.withUnsafeMutableBufferPointer { present in
                if let starts = slots.starts {
                    for i in 0..<slots.count where def[starts[i]] == max {
                        present[i] = true
                        presentCount += 1
                    }
                } else {
                    for i in 0..<slots.count {
                        let valid = def[i] == max
                        present[i] = valid
                        presentCount &+= valid ? 1 : 0
                    }
                }
            }
        }
        guard presentCount == values.count else {
            throw .corrupt("\(values.count) values for \(presentCount) non-null entries")
        }
        if presentCount == slots.count { return ColumnArray(values) }
        return ColumnArray(values.scattered(present), validity: present)
    }
}

extension ColumnValues {
    /// Spreads dense values over the slots marked present; the others get a zero or empty value.
    func scattered(_ present: [Bool]) -> ColumnValues {
        func spread<T>(_ dense: [T], _ zero: T) -> [T] {
            var out = [T](repeating: zero, count: present.count)
            out.withUnsafeMutableBufferPointer { out in
                dense.withUnsafeBufferPointer { dense in
                    present.withUnsafeBufferPointer { present in
                        var k = 0
                        for i in 0..<present.count where present[i] {
                            out[i] = dense[k]
                            k += 1
                        }
                    }
                }
            }
            return out
        }
        switch self {
        case .boolean(let v): return .boolean(spread(v, false))
        case .int32(let v): return .int32(spread(v, 0))
        case .int64(let v): return .int64(spread(v, 0))
        case .float(let v): return .float(spread(v, 0))
        case .double(let v): return .double(spread(v, 0))
        case .bytes(let offsets, let data):
            var out = [Int32](repeating: 0, count: present.count + 1)
            out.withUnsafeMutableBufferPointer { out in
                offsets.withUnsafeBufferPointer { offsets in
                    present.withUnsafeBufferPointer { present in
                        var k = 0
                        for i in 0..<present.count {
                            k &+= present[i] ? 1 : 0
                            out[i + 1] = offsets[k]
                        }
                    }
                }
            }
            return .bytes(offsets: out, data: data)
        case .fixed(let width, let data):
            var out = [UInt8](repeating: 0, count: present.count * width)
            var k = 0
            for i in 0..<present.count where present[i] {
                for b in 0..<width { out[i * width + b] = data[k * width + b] }
                k += 1
            }
            return .fixed(width: width, data: out)
        }
    }
}
