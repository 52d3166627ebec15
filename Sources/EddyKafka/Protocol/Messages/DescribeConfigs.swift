import NIOCore

/// DescribeConfigs (key 32): topic settings (resource type 2) and broker settings (4), enough for
/// `kafka-configs --describe`-style tools.
public struct DescribeConfigsRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .describeConfigs }
    public static let topicResource: Int8 = 2
    public static let brokerResource: Int8 = 4

    public struct Resource: KafkaStruct, Sendable, Equatable {
        public var resourceType: Int8 = 2
        public var resourceName = ""
        public var configurationKeys: [String]? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int8(&resourceType)
            try c.string(&resourceName)
            try c.nullableArray(&configurationKeys)
            try c.taggedFields()
        }
    }

    public var resources: [Resource] = []
    public var includeSynonyms = false
    public var includeDocumentation = false

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.array(&resources)
        if c.version >= 1 { try c.bool(&includeSynonyms) }
        if c.version >= 3 { try c.bool(&includeDocumentation) }
        try c.taggedFields()
    }
}

public struct DescribeConfigsResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .describeConfigs }

    public struct Synonym: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var value: String? = nil
        public var source: Int8 = 0
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.nullableString(&value)
            try c.int8(&source)
            try c.taggedFields()
        }
    }

    public struct Config: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var value: String? = nil
        public var readOnly = false
        public var isDefault = false
        /// 1 topic config, 5 default config (Kafka's ConfigSource).
        public var configSource: Int8 = -1
        public var isSensitive = false
        public var synonyms: [Synonym] = []
        /// 3 int, 5 long, 2 string (Kafka's ConfigType).
        public var configType: Int8 = 0
        public var documentation: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.nullableString(&value)
            try c.bool(&readOnly)
            if c.version == 0 { try c.bool(&isDefault) }
            if c.version >= 1 { try c.int8(&configSource) }
            try c.bool(&isSensitive)
            if c.version >= 1 { try c.array(&synonyms) }
            if c.version >= 3 {
                try c.int8(&configType)
                try c.nullableString(&documentation)
            }
            try c.taggedFields()
        }
    }

    public struct Result: KafkaStruct, Sendable, Equatable {
        public var errorCode: Int16 = 0
        public var errorMessage: String? = nil
        public var resourceType: Int8 = 0
        public var resourceName = ""
        public var configs: [Config] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int16(&errorCode)
            try c.nullableString(&errorMessage)
            try c.int8(&resourceType)
            try c.string(&resourceName)
            try c.array(&configs)
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var results: [Result] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.int32(&throttleTimeMs)
        try c.array(&results)
        try c.taggedFields()
    }
}
