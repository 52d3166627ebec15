/// One node of the flattened schema tree in the footer (groups have children, leaves a physical type).
struct SchemaElement: Equatable {
    var type: PhysicalType?
    var typeLength: Int?
    var repetition: Repetition?
    var name: String
    var numChildren: Int
    var convertedType: ConvertedType?
    var scale: Int?
    var precision: Int?
    /// The LogicalType union as read (field id of the set case, and its struct).
    var logicalType: ThriftStruct?

    init(
        name: String, type: PhysicalType? = nil, repetition: Repetition? = nil, numChildren: Int = 0,
        typeLength: Int? = nil, convertedType: ConvertedType? = nil, scale: Int? = nil, precision: Int? = nil,
        logicalType: ThriftStruct? = nil
    ) {
        self.name = name
        self.type = type
        self.repetition = repetition
        self.numChildren = numChildren
        self.typeLength = typeLength
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.logicalType = logicalType
    }

    init(_ s: ThriftStruct) throws(ParquetError) {
        name = s.string(4) ?? ""
        if s[1] != nil { type = try requiredEnum(s, 1, "schema element '\(name)' type") }
        typeLength = s.int(2).map { Int(clamping: $0) }
        if s[3] != nil { repetition = try requiredEnum(s, 3, "schema element '\(name)' repetition") }
        numChildren = try checkedInt(s.int(5) ?? 0, "schema element '\(name)' child count")
        if let raw = s.int(6), let narrow = Int32(exactly: raw) {
            convertedType = ConvertedType(rawValue: narrow)
        }
        scale = s.int(7).map { Int(clamping: $0) }
        precision = s.int(8).map { Int(clamping: $0) }
        logicalType = s.structure(10)
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s.set(1, type.map { .i32($0.rawValue) })
        s.set(2, typeLength.map { .i32(Int32($0)) })
        s.set(3, repetition.map { .i32($0.rawValue) })
        s.set(4, .binary(Array(name.utf8)))
        s.set(5, numChildren > 0 || type == nil ? .i32(Int32(numChildren)) : nil)
        s.set(6, convertedType.map { .i32($0.rawValue) })
        s.set(7, scale.map { .i32(Int32($0)) })
        s.set(8, precision.map { .i32(Int32($0)) })
        s.set(10, logicalType.map { .structure($0) })
        return s
    }
}
