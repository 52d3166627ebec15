// Checkpoints store values exactly: doubles by bit pattern, decimals by units and scale, each tagged with its
// type so a restored value is the same case it was.

extension Value: Codable {
    private enum Tag: String, CodingKey {
        case b, i, d, c, s, t, a, o
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), single.decodeNil() {
            self = .null
            return
        }
        let container = try decoder.container(keyedBy: Tag.self)
        guard let tag = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "untagged value"))
        }
        switch tag {
        case .b: self = .bool(try container.decode(Bool.self, forKey: .b))
        case .i: self = .int(try container.decode(Int64.self, forKey: .i))
        case .d: self = .double(Double(bitPattern: try container.decode(UInt64.self, forKey: .d)))
        case .c: self = .decimal(try container.decode(DecimalValue.self, forKey: .c))
        case .s: self = .string(try container.decode(String.self, forKey: .s))
        case .t: self = .timestamp(try container.decode(Int64.self, forKey: .t))
        case .a: self = .array(try container.decode([Value].self, forKey: .a))
        case .o: self = .object(try container.decode([String: Value].self, forKey: .o))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .null = self {
            var single = encoder.singleValueContainer()
            try single.encodeNil()
            return
        }
        var container = encoder.container(keyedBy: Tag.self)
        switch self {
        case .null: break
        case .bool(let v): try container.encode(v, forKey: .b)
        case .int(let v): try container.encode(v, forKey: .i)
        case .double(let v): try container.encode(v.bitPattern, forKey: .d)
        case .decimal(let v): try container.encode(v, forKey: .c)
        case .string(let v): try container.encode(v, forKey: .s)
        case .timestamp(let v): try container.encode(v, forKey: .t)
        case .array(let v): try container.encode(v, forKey: .a)
        case .object(let v): try container.encode(v, forKey: .o)
        }
    }
}

extension DecimalValue: Codable {
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let units = try container.decode(Int64.self)
        let scale = try container.decode(Int.self)
        self.init(units: units, scale: scale)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(units)
        try container.encode(scale)
    }
}
