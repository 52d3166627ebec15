public import EddyLog
public import EddyML
import EddyStream
import Foundation
public import ServiceLifecycle
import Synchronization

/// Seed 001's Spark Streaming job: user ids read from a request topic are answered on a response topic
/// with their recommendations from the current model, keyed by user id, exactly once.
///
/// A request is a bare id (`42`, `"u-7"`) or `{"user_id": 42, "n": 5}`; the response is
/// `{"user_id", "items": [{"item_id", "score"}], "model_version", "request_partition", "request_offset"}`,
/// or `{"user_id", "error": "unknown_user", …}` for a user the model has not seen. A request that is not
/// one of those goes to `<requests>.dlq` with the reason. Requests wait until a first model exists.
///
/// Exactly once without transactions: every response and dead letter carries the request's partition
/// and offset in its headers. On start the responder reads them back from both output topics and resumes
/// each request partition at its first unanswered offset, skipping offsets answered beyond it (a batch
/// spread over several output partitions may have been cut by a crash). So a restart after `kill -9`
/// neither repeats nor skips a response.
///
/// ```swift
/// let responder = RecommendationResponder(log: log, models: trainer.models)
/// ```
public final class RecommendationResponder: Service, Sendable {
    public static let requestsTopic = "recommendation-requests"
    public static let responsesTopic = "recommendations-out"

    let log: any Log
    let models: ModelSlot
    let requests: String
    let responses: String
    let defaultN: Int
    let once: Bool
    /// Whether a (first or newer) model may still come; `once` stops when none will.
    let modelsMayCome: @Sendable () -> Bool
    private let counts = Mutex((requests: Int64(0), responses: Int64(0), deadLetters: Int64(0)))

    public init(
        log: any Log, models: ModelSlot, requests: String = requestsTopic, responses: String = responsesTopic,
        defaultN: Int = 10, once: Bool = false, modelsMayCome: @escaping @Sendable () -> Bool = { true }
    ) {
        self.modelsMayCome = modelsMayCome
        self.log = log
        self.models = models
        self.requests = requests
        self.responses = responses
        self.defaultN = defaultN
        self.once = once
    }

    /// Requests read, responses written and dead letters sent since start.
    public var progress: (requests: Int64, responses: Int64, deadLetters: Int64) { counts.withLock { $0 } }

    var deadLetters: String { requests + ".dlq" }

    public func run() async throws {
        // Once: answer what is there even while the group shuts down (the trainer finishing starts that).
        if once { return try await loop() }
        do {
            try await cancelWhenGracefulShutdown { try await self.loop() }
        } catch is CancellationError {
            // Shutting down: every answer written so far is complete, and a restart resumes after it.
        }
    }

    private func loop() async throws {
        let partitions = try ensureTopics()
        var answered = try answeredRequests()
        var positions: [Int: Offset] = [:]
        for partition in partitions {
            var position = try log.offsets(of: TopicPartition(requests, partition)).start
            while answered[partition]?.remove(position) != nil { position += 1 }
            positions[partition] = position
        }
        while !Task.isCancelled {
            guard let model = models.current else {
                if once && !modelsMayCome() { return }
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            var read = 0
            for partition in partitions {
                let fetched = try log.read(
                    TopicPartition(requests, partition), from: positions[partition]!, maxBytes: 1 << 20)
                var out: [ProducerRecord] = []
                var rejected: [ProducerRecord] = []
                fetched.forEach { record in
                    if answered[partition]?.remove(record.offset) != nil { return }
                    read += 1
                    let origin = [
                        Header(key: "request-partition", value: Array(String(partition).utf8)),
                        Header(key: "request-offset", value: Array(String(record.offset).utf8)),
                    ]
                    let value = Array(UnsafeRawBufferPointer(record.value))
                    switch Self.parse(value) {
                    case .success(let request):
                        out.append(
                            Self.respond(
                                to: request, model: model, n: request.n ?? defaultN, partition: partition,
                                offset: record.offset, headers: origin))
                    case .failure(let reason):
                        rejected.append(
                            ProducerRecord(
                                key: record.key.map { Array($0) }, value: value,
                                headers: origin + [
                                    Header(key: "error", value: Array(reason.description.utf8))
                                ]))
                    }
                }
                // Dead letters first: either way, a crash between the two appends leaves headers that say
                // which offsets are answered.
                if !rejected.isEmpty { _ = try log.append(rejected, to: deadLetters) }
                if !out.isEmpty { _ = try log.append(out, to: responses) }
                positions[partition] = fetched.nextOffset
                counts.withLock {
                    $0.requests += Int64(out.count + rejected.count)
                    $0.responses += Int64(out.count)
                    $0.deadLetters += Int64(rejected.count)
                }
            }
            if read == 0 {
                // Once: done when nothing is left and no newer model will come to answer with.
                if once && !modelsMayCome() { return }
                _ = await log.waitForData(
                    TopicPartition(requests, partitions[0]), beyond: positions[partitions[0]]!,
                    timeout: .milliseconds(partitions.count == 1 ? 1000 : 50))
            }
        }
    }

    /// The request topic's partitions, creating the topics that do not exist yet.
    private func ensureTopics() throws -> [Int] {
        let existing = try? log.describeTopic(requests)
        let described = try existing ?? log.createTopic(requests, config: TopicConfig(partitions: 1))
        let partitions = described.partitions.map(\.partition)
        for topic in [responses, deadLetters] where (try? log.describeTopic(topic)) == nil {
            // Another writer may create it meanwhile; what matters is that it exists afterwards.
            _ = try? log.createTopic(topic, config: TopicConfig(partitions: max(1, partitions.count)))
            _ = try log.describeTopic(topic)
        }
        return partitions
    }

    /// Request offsets already answered, per request partition, read back from both output topics' headers.
    func answeredRequests() throws -> [Int: Set<Offset>] {
        var answered: [Int: Set<Offset>] = [:]
        for topic in [responses, deadLetters] {
            for partition in try log.describeTopic(topic).partitions {
                let tp = TopicPartition(topic, partition.partition)
                var position = partition.startOffset
                while position < partition.endOffset {
                    let fetched = try log.read(tp, from: position, maxBytes: 4 << 20)
                    guard fetched.nextOffset > position else { break }
                    for record in fetched.records() {
                        let header = { (key: String) in
                            record.headers.first { $0.key == key }?.value.flatMap {
                                Int64(String(decoding: $0, as: UTF8.self))
                            }
                        }
                        guard let requestPartition = header("request-partition"),
                            let offset = header("request-offset")
                        else { continue }
                        answered[Int(requestPartition), default: []].insert(offset)
                    }
                    position = fetched.nextOffset
                }
            }
        }
        return answered
    }

    struct Request {
        var user: ExternalID
        var n: Int?
    }

    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// A user id as requests write it: a JSON integer or a non-empty string.
    struct RequestedID: Decodable {
        var id: ExternalID

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let number = try? value.decode(Int64.self) {
                id = .int(number)
            } else {
                let text = try value.decode(String.self)
                guard !text.isEmpty else {
                    throw DecodingError.dataCorruptedError(in: value, debugDescription: "empty id")
                }
                id = .string(text)
            }
        }
    }

    struct RequestObject: Decodable {
        var user_id: RequestedID
        var n: Int?
    }

    /// A bare id or `{"user_id": …, "n": …}`.
    static func parse(_ value: [UInt8]) -> Result<Request, Refusal> {
        let decoder = JSONDecoder()
        let data = Data(value)
        if let bare = try? decoder.decode(RequestedID.self, from: data) {
            return .success(Request(user: bare.id, n: nil))
        }
        guard let object = try? decoder.decode(RequestObject.self, from: data) else {
            return .failure(
                Refusal(description: "a request is a user id or {\"user_id\": …, \"n\": …}"))
        }
        if let n = object.n, !(1...1000).contains(n) {
            return .failure(Refusal(description: "n must be from 1 to 1000 (got \(n))"))
        }
        return .success(Request(user: object.user_id.id, n: object.n))
    }

    static func respond(
        to request: Request, model: ALSModel, n: Int, partition: Int, offset: Offset, headers: [Header]
    ) -> ProducerRecord {
        var json = JSONWriter(capacity: 96 + n * 40)
        func id(_ value: ExternalID, _ json: inout JSONWriter) {
            switch value {
            case .int(let number): json.int(number)
            case .string(let text): json.string(text)
            }
        }
        json.object { json in
            json.field("user_id") { id(request.user, &$0) }
            if let items = model.recommend(user: request.user, n: n) {
                json.field("items") { json in
                    json.array { json in
                        for item in items {
                            json.object { json in
                                json.field("item_id") { id(item.item, &$0) }
                                json.field("score") { $0.double(Double(item.score)) }
                            }
                        }
                    }
                }
            } else {
                json.field("error") { $0.string("unknown_user") }
            }
            json.field("model_version") { $0.int(model.metadata.version) }
            json.field("request_partition") { $0.int(partition) }
            json.field("request_offset") { $0.int(offset) }
        }
        return ProducerRecord(key: Array(request.user.description.utf8), value: json.bytes, headers: headers)
    }
}
