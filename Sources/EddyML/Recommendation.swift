/// One recommended item and its score (the predicted rating, or preference for implicit models).
public struct Recommendation: Sendable, Equatable {
    public var item: ExternalID
    public var itemIndex: Int32
    public var score: Float

    public init(item: ExternalID, itemIndex: Int32, score: Float) {
        self.item = item
        self.itemIndex = itemIndex
        self.score = score
    }
}
