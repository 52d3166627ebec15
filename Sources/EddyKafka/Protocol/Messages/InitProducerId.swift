import NIOCore

/// InitProducerId (key 22): a producer id and epoch for an idempotent producer. Transactions are not
/// supported: a transactional id gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
public struct InitProducerIdRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .initProducerId }
    public var transactionalId: String? = nil
    public var transactionTimeoutMs: Int32 = -1

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.nullableString(&transactionalId)
        try c.int32(&transactionTimeoutMs)
        try c.taggedFields()
    }
}

public struct InitProducerIdResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .initProducerId }
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var producerId: Int64 = -1
    public var producerEpoch: Int16 = -1

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.int32(&throttleTimeMs)
        try c.int16(&errorCode)
        try c.int64(&producerId)
        try c.int16(&producerEpoch)
        try c.taggedFields()
    }
}
