/// Waiting for a partition whose topic does not exist yet: `waitForData` on a topic that is created
/// later must not fail at once (a caller in a loop would spin), so it checks every `interval` until the
/// deadline.
enum TopicPoll {
    static func awaitPartition<P>(
        until deadline: ContinuousClock.Instant, interval: Duration, _ lookup: () -> P?
    ) async -> P? {
        while true {
            if let found = lookup() { return found }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return nil }
            do {
                try await Task.sleep(for: min(remaining, interval))
            } catch {
                return nil  // cancelled
            }
        }
    }
}
