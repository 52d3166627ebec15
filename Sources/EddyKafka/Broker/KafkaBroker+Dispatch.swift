import EddyLog
import Logging
import NIOCore

extension KafkaBroker {
    /// Decodes one request frame, runs its handler, and returns the response frame (length-prefixed), or
    /// nil when the request wants none (Produce with acks=0). The connection is an authenticated one.
    func handle(frame: ByteBuffer, peer: String) async throws(KafkaRequestError) -> ByteBuffer? {
        var session = KafkaSession(authenticated: true)
        return try await handle(frame: frame, peer: peer, session: &session)
    }

    /// ``handle(frame:peer:)`` on a connection with `session`'s state, the stored batches of a Fetch
    /// response read into the frame.
    func handle(frame: ByteBuffer, peer: String, session: inout KafkaSession) async throws(KafkaRequestError)
        -> ByteBuffer?
    {
        guard let response = try await respond(to: frame, peer: peer, session: &session) else { return nil }
        do {
            return try response.materialized()
        } catch {
            throw .unreadableStoredBatches(error)
        }
    }

    /// Answers one request frame on a connection with `session`'s state: before SASL authentication only
    /// ApiVersions and the SASL requests are served; any other request closes the connection (Kafka's
    /// ILLEGAL_SASL_STATE: Kafka closes it too).
    func respond(to frame: ByteBuffer, peer: String, session: inout KafkaSession)
        async throws(KafkaRequestError)
        -> KafkaResponseFrame?
    {
        if session.bareTokens && !session.authenticated {
            return KafkaResponseFrame(try saslBareToken(frame, peer: peer, session: &session))
        }
        var body = frame
        let header: RequestHeader
        do {
            header = try RequestHeader(from: &body)
        } catch {
            throw .malformedHeader(error)
        }
        guard let api = ApiKey(rawValue: header.apiKey) else {
            throw .unknownApiKey(header.apiKey, correlationId: header.correlationId)
        }
        guard api.supportedVersions.contains(header.apiVersion) else {
            // KIP-511: a newer client's ApiVersions gets a v0 answer it can read, naming what is spoken.
            if api == .apiVersions {
                var response = apiVersionsResponse()
                response.errorCode = ErrorCode.unsupportedVersion.rawValue
                return encode(response, version: 0, correlationId: header.correlationId)
            }
            throw .unsupportedVersion(api, header.apiVersion, correlationId: header.correlationId)
        }
        let version = header.apiVersion
        if !session.authenticated && ![.apiVersions, .saslHandshake, .saslAuthenticate].contains(api) {
            throw .notAuthenticated(api, correlationId: header.correlationId)
        }
        switch api {
        case .apiVersions:
            let _: ApiVersionsRequest = try decode(&body, api, version)
            return encode(apiVersionsResponse(), version: version, correlationId: header.correlationId)
        case .metadata:
            return try await answer(&body, header) { (request: MetadataRequest) in
                metadata(request, version: version)
            }
        case .produce:
            let request: ProduceRequest = try decode(&body, api, version)
            let response = produce(request, version: version)
            return request.acks == 0
                ? nil : encode(response, version: version, correlationId: header.correlationId)
        case .fetch:
            let request: FetchRequest = try decode(&body, api, version)
            let (response, stored) = await fetch(request, version: version)
            return encode(response, version: version, correlationId: header.correlationId, stored: stored)
        case .listOffsets:
            return try await answer(&body, header) { (request: ListOffsetsRequest) in
                listOffsets(request, version: version)
            }
        case .createTopics:
            return try await answer(&body, header) { (request: CreateTopicsRequest) in createTopics(request) }
        case .deleteTopics:
            return try await answer(&body, header) { (request: DeleteTopicsRequest) in deleteTopics(request) }
        case .findCoordinator:
            return try await answer(&body, header) { (request: FindCoordinatorRequest) in
                findCoordinator(request)
            }
        case .joinGroup:
            return try await answer(&body, header) { (request: JoinGroupRequest) in
                await groups.join(request, clientId: header.clientId ?? "", clientHost: peer)
            }
        case .syncGroup:
            return try await answer(&body, header) { (request: SyncGroupRequest) in await groups.sync(request)
            }
        case .heartbeat:
            return try await answer(&body, header) { (request: HeartbeatRequest) in
                await groups.heartbeat(request)
            }
        case .leaveGroup:
            return try await answer(&body, header) { (request: LeaveGroupRequest) in
                await groups.leave(request, version: version)
            }
        case .offsetCommit:
            return try await answer(&body, header) { (request: OffsetCommitRequest) in
                await groups.commit(request, log: log)
            }
        case .offsetFetch:
            return try await answer(&body, header) { (request: OffsetFetchRequest) in
                await groups.fetchOffsets(request, log: log)
            }
        case .listGroups:
            return try await answer(&body, header) { (_: ListGroupsRequest) in await groups.list() }
        case .describeGroups:
            return try await answer(&body, header) { (request: DescribeGroupsRequest) in
                await groups.describe(request)
            }
        case .describeConfigs:
            return try await answer(&body, header) { (request: DescribeConfigsRequest) in
                describeConfigs(request)
            }
        case .initProducerId:
            return try await answer(&body, header) { (request: InitProducerIdRequest) in
                initProducerId(request)
            }
        case .saslHandshake:
            let request: SaslHandshakeRequest = try decode(&body, api, version)
            let response = saslHandshake(request, version: version, session: &session)
            return encode(response, version: version, correlationId: header.correlationId)
        case .saslAuthenticate:
            let request: SaslAuthenticateRequest = try decode(&body, api, version)
            let response = saslAuthenticate(request, peer: peer, session: &session)
            return encode(response, version: version, correlationId: header.correlationId)
        }
    }

    private func decode<Request: KafkaMessage>(_ body: inout ByteBuffer, _ api: ApiKey, _ version: Int16)
        throws(KafkaRequestError) -> Request
    {
        let request: Request
        do {
            request = try Request(from: &body, version: version)
        } catch {
            throw .malformedBody(api, version, error)
        }
        if body.readableBytes > 0 { throw .trailingBytes(api, version, body.readableBytes) }
        return request
    }

    private func answer<Request: KafkaMessage, Response: KafkaMessage>(
        _ body: inout ByteBuffer, _ header: RequestHeader, _ handler: (Request) async -> Response
    ) async throws(KafkaRequestError) -> KafkaResponseFrame {
        let request: Request = try decode(&body, Request.apiKey, header.apiVersion)
        let response = await handler(request)
        return encode(response, version: header.apiVersion, correlationId: header.correlationId)
    }

    /// The response frame: size, header, body, with `stored` where the body refers to it.
    func encode<Response: KafkaMessage>(
        _ response: Response, version: Int16, correlationId: Int32, stored: [StoredFileRange] = []
    ) -> KafkaResponseFrame {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        buffer.writeInteger(Int32(0))
        ResponseHeader(correlationId: correlationId).encode(
            into: &buffer, apiKey: Response.apiKey, version: version)
        var placements: [ExternalBytesPlacement] = []
        do {
            placements = try response.encode(into: &buffer, version: version)
        } catch {
            // Only a string over 32767 bytes can fail to encode; answer with what was written.
            logger.error("encoding \(Response.apiKey) v\(version) response failed: \(error)")
        }
        let external = placements.reduce(0) { $0 + $1.bytes.count }
        buffer.setInteger(Int32(buffer.readableBytes - 4 + external), at: buffer.readerIndex)
        return KafkaResponseFrame(encoded: buffer, placements: placements, stored: stored)
    }

    func apiVersionsResponse() -> ApiVersionsResponse {
        var response = ApiVersionsResponse()
        response.apiKeys = ApiKey.allCases.map {
            .init(
                apiKey: $0.rawValue, minVersion: $0.supportedVersions.lowerBound,
                maxVersion: $0.supportedVersions.upperBound)
        }
        return response
    }
}

extension LogError {
    /// The Kafka error code a client understands for this log error.
    var kafkaErrorCode: ErrorCode {
        switch self {
        case .topicNotFound, .partitionNotFound: .unknownTopicOrPartition
        case .topicAlreadyExists: .topicAlreadyExists
        case .invalidTopicName: .invalidTopicException
        case .invalidPartitionCount: .invalidPartitions
        case .recordTooLarge: .messageTooLarge
        case .offsetOutOfRange: .offsetOutOfRange
        case .invalidBatch: .invalidRecord
        case .corruptBatch: .corruptMessage
        case .unsupportedCompression: .unsupportedCompressionType
        case .locked, .io, .corrupt, .dataDirectoryLost: .kafkaStorageError
        }
    }
}
