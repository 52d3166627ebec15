/// One finished iteration of training, reported to the caller's progress closure.
public struct TrainingProgress: Sendable {
    public var iteration: Int
    public var iterations: Int
    /// Time spent in this iteration.
    public var seconds: Double
    /// Root mean squared error on the training ratings (explicit only; nil for implicit).
    public var trainingRMSE: Double?
}
