public import EddyLog

/// Requests for the recommendation job in seed 001's shape: mostly a bare user id (`42`), sometimes
/// `{"user_id": 42, "n": 5}`, now and then a user no model has seen (`"guest-7"`), keyed by user.
///
/// ```swift
/// var requests = RecommendationRequestSimulator(users: 500, seed: 7)
/// let record = requests.next()
/// ```
public struct RecommendationRequestSimulator: Simulator {
    private let users: Int
    private var random: SimulationRandom

    public init(users: Int = 500, seed: UInt64? = nil) {
        self.users = max(1, users)
        random = SimulationRandom(seed: seed)
    }

    public mutating func next() -> ProducerRecord {
        let user = random.int(in: 1...users)
        let draw = random.int(in: 0...19)
        let value =
            switch draw {
            case 0: #""guest-\#(user)""#
            case 1...4: #"{"user_id": \#(user), "n": \#(random.int(in: 1...20))}"#
            default: String(user)
            }
        return ProducerRecord(key: Array(String(user).utf8), value: Array(value.utf8))
    }
}
