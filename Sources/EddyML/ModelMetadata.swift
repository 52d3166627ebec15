/// What a trained model is and how it was made; stored in the model file's header.
///
/// ```swift
/// let model = try ModelFile.read(path: "model-dir")
/// print(model.metadata.kind, model.metadata.rank, model.metadata.version)
/// ```
public struct ModelMetadata: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case explicit, implicit
    }

    public var kind: Kind
    public var rank: Int
    public var iterations: Int
    public var regParam: Double
    /// Confidence scale of implicit feedback (c = 1 + α·r); 0 for explicit models.
    public var alpha: Double
    public var nonnegative: Bool
    public var seed: UInt64
    /// Grows by one with each model trained into the same directory; a server swaps to a model only when
    /// its version is newer.
    public var version: UInt64
    public var trainedAtMillis: Int64
    public var ratingCount: Int

    public init(
        kind: Kind, rank: Int, iterations: Int, regParam: Double, alpha: Double, nonnegative: Bool,
        seed: UInt64, version: UInt64 = 1, trainedAtMillis: Int64 = 0, ratingCount: Int
    ) {
        self.kind = kind
        self.rank = rank
        self.iterations = iterations
        self.regParam = regParam
        self.alpha = alpha
        self.nonnegative = nonnegative
        self.seed = seed
        self.version = version
        self.trainedAtMillis = trainedAtMillis
        self.ratingCount = ratingCount
    }
}
