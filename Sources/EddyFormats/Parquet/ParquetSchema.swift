/// The footer's flattened schema as a tree, with each node's definition and repetition levels, and how
/// to assemble its leaves into `ColumnArray`s (Arrow's rules for LIST and MAP, including the legacy
/// two-level lists).
final class SchemaNode {
    let element: SchemaElement
    var children: [SchemaNode] = []
    /// Definition level at which this node is present (optional and repeated ancestors, itself included).
    let definitionLevel: Int
    /// Repeated ancestors, itself included.
    let repetitionLevel: Int
    let path: [String]
    /// For leaves: the index of the column chunk in each row group.
    var leafIndex: Int?

    init(element: SchemaElement, definitionLevel: Int, repetitionLevel: Int, path: [String]) {
        self.element = element
        self.definitionLevel = definitionLevel
        self.repetitionLevel = repetitionLevel
        self.path = path
    }

    var name: String { element.name }
    var isRepeated: Bool { element.repetition == .repeated }
    var isLeaf: Bool { element.type != nil && children.isEmpty }

    var firstLeaf: SchemaNode {
        var node = self
        while !node.isLeaf, let first = node.children.first { node = first }
        return node
    }
}

/// How one top-level field is rebuilt from its leaf columns.
indirect enum AssemblyPlan {
    case leaf(SchemaNode)
    case structure(SchemaNode, [AssemblyPlan])
    /// `outer` gives the list's validity (nil for a bare repeated field); `repeated` its elements.
    case list(outer: SchemaNode?, repeated: SchemaNode, element: AssemblyPlan)

    var node: SchemaNode {
        switch self {
        case .leaf(let n), .structure(let n, _): n
        case .list(let outer, let repeated, _): outer ?? repeated
        }
    }
}

struct ParquetSchema {
    let root: SchemaNode
    let leaves: [SchemaNode]
    let plans: [AssemblyPlan]
    let fields: [Field]

    init(_ elements: [SchemaElement]) throws(ParquetError) {
        guard let first = elements.first else { throw .corrupt("the schema is empty") }
        var index = 1
        var leaves: [SchemaNode] = []
        root = SchemaNode(element: first, definitionLevel: 0, repetitionLevel: 0, path: [])
        func build(_ parent: SchemaNode, childCount: Int, depth: Int) throws(ParquetError) {
            guard depth < 64 else { throw .corrupt("the schema is nested more than 64 levels") }
            for _ in 0..<childCount {
                guard index < elements.count else {
                    throw .corrupt("the schema declares more children than it has elements")
                }
                let element = elements[index]
                index += 1
                let repetition = element.repetition ?? .required
                let node = SchemaNode(
                    element: element,
                    definitionLevel: parent.definitionLevel + (repetition == .required ? 0 : 1),
                    repetitionLevel: parent.repetitionLevel + (repetition == .repeated ? 1 : 0),
                    path: parent.path + [element.name])
                parent.children.append(node)
                if element.numChildren > 0 {
                    try build(node, childCount: element.numChildren, depth: depth + 1)
                } else {
                    guard element.type != nil else {
                        throw .corrupt("schema group '\(element.name)' has no children")
                    }
                    if element.type == .fixedLenByteArray {
                        guard let length = element.typeLength, length >= 0, length < 1 << 24 else {
                            throw .corrupt("fixed-length column '\(element.name)' has no valid length")
                        }
                    }
                    node.leafIndex = leaves.count
                    leaves.append(node)
                }
            }
        }
        try build(root, childCount: first.numChildren, depth: 0)
        guard index == elements.count else {
            throw .corrupt("the schema has \(elements.count - index) stray elements")
        }
        self.leaves = leaves
        var plans: [AssemblyPlan] = []
        var fields: [Field] = []
        for child in root.children {
            let plan = try Self.plan(child)
            plans.append(plan)
            fields.append(
                Field(child.name, try Self.fieldType(plan), nullable: child.element.repetition == .optional))
        }
        self.plans = plans
        self.fields = fields
    }

    static func plan(_ node: SchemaNode, asElement: Bool = false) throws(ParquetError) -> AssemblyPlan {
        if node.isRepeated && !asElement {
            return .list(outer: nil, repeated: node, element: try plan(node, asElement: true))
        }
        if node.isLeaf { return .leaf(node) }
        let annotation = node.element.logicalType?.unionCase?.id
        let converted = node.element.convertedType
        if annotation == 3 || converted == .list, node.children.count == 1, node.children[0].isRepeated {
            let repeated = node.children[0]
            let element: AssemblyPlan
            if repeated.isLeaf {
                element = .leaf(repeated)
            } else if repeated.children.count == 1 && repeated.name != "array"
                && repeated.name != node.name + "_tuple"
            {
                element = try plan(repeated.children[0])
            } else {
                element = .structure(
                    repeated, try repeated.children.map { (c) throws(ParquetError) in try plan(c) })
            }
            return .list(outer: node, repeated: repeated, element: element)
        }
        if annotation == 2 || converted == .map || converted == .mapKeyValue, node.children.count == 1,
            node.children[0].isRepeated, !node.children[0].isLeaf
        {
            let repeated = node.children[0]
            let entry = AssemblyPlan.structure(
                repeated, try repeated.children.map { (c) throws(ParquetError) in try plan(c) })
            return .list(outer: node, repeated: repeated, element: entry)
        }
        return .structure(node, try node.children.map { (c) throws(ParquetError) in try plan(c) })
    }

    static func fieldType(_ plan: AssemblyPlan) throws(ParquetError) -> FieldType {
        switch plan {
        case .leaf(let node): return try leafType(node.element)
        case .structure(_, let children):
            var fields: [Field] = []
            for child in children {
                fields.append(
                    Field(
                        child.node.name, try fieldType(child),
                        nullable: child.node.element.repetition == .optional))
            }
            return .structure(fields)
        case .list(_, _, let element):
            let nullable = element.node.element.repetition == .optional
            return .list(Field(element.node.name, try fieldType(element), nullable: nullable))
        }
    }

    static func unit(_ s: ThriftStruct?) -> TimeUnit {
        switch s?.structure(2)?.unionCase?.id {
        case 1: .millis
        case 3: .nanos
        default: .micros
        }
    }

    static func leafType(_ e: SchemaElement) throws(ParquetError) -> FieldType {
        guard let physical = e.type else { throw .corrupt("leaf '\(e.name)' has no type") }
        if let logical = e.logicalType, let (id, value) = logical.unionCase {
            let s: ThriftStruct? = if case .structure(let inner) = value { inner } else { nil }
            switch id {
            case 1, 4, 12: return .string
            case 5:
                return .decimal(precision: Int(s?.int(2) ?? 0), scale: Int(s?.int(1) ?? 0))
            case 6: return .date
            case 7: return .time(unit(s))
            case 8: return .timestamp(unit(s), utc: s?.bool(1) ?? false)
            case 10:
                return .int(bits: Int(s?.int(1) ?? 32), signed: s?.bool(2) ?? true)
            default: break
            }
        }
        switch e.convertedType {
        case .utf8, .enumeration, .json: return .string
        case .decimal: return .decimal(precision: e.precision ?? 0, scale: e.scale ?? 0)
        case .date: return .date
        case .timeMillis: return .time(.millis)
        case .timeMicros: return .time(.micros)
        case .timestampMillis: return .timestamp(.millis, utc: true)
        case .timestampMicros: return .timestamp(.micros, utc: true)
        case .uint8: return .int(bits: 8, signed: false)
        case .uint16: return .int(bits: 16, signed: false)
        case .uint32: return .int(bits: 32, signed: false)
        case .uint64: return .int(bits: 64, signed: false)
        case .int8: return .int(bits: 8, signed: true)
        case .int16: return .int(bits: 16, signed: true)
        case .int32: return .int32
        case .int64: return .int64
        default: break
        }
        switch physical {
        case .boolean: return .boolean
        case .int32: return .int32
        case .int64: return .int64
        case .int96: return .timestamp(.nanos, utc: false)
        case .float: return .float
        case .double: return .double
        case .byteArray: return .binary
        case .fixedLenByteArray: return .fixedBinary(e.typeLength ?? 0)
        }
    }
}
