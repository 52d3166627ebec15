import Testing

@testable import EddyLog

@Suite struct TailNotifierTests {
    @Test func advanceWakesExactlyTheSatisfiedWaiters() async throws {
        let notifier = TailNotifier(end: 10)
        #expect(await notifier.wait(beyond: 9, timeout: .seconds(600)))  // already there
        #expect(await notifier.wait(beyond: 10, timeout: .milliseconds(5)) == false)  // times out
        let results = try await withThrowingTaskGroup(of: (Offset, Bool).self) { group in
            for offset in Offset(10)..<Offset(60) {
                group.addTask { (offset, await notifier.wait(beyond: offset, timeout: .seconds(600))) }
            }
            for _ in 0..<20_000 where notifier.waiterCount < 50 {
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(notifier.waiterCount == 50)
            notifier.advance(to: 35)  // wakes the waiters below 35
            for _ in 0..<20_000 where notifier.waiterCount > 25 {
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(notifier.waiterCount == 25)
            notifier.advance(to: 30)  // going back is ignored
            notifier.advance(to: 100)
            var results: [Offset: Bool] = [:]
            for try await (offset, woken) in group { results[offset] = woken }
            return results
        }
        #expect(results.count == 50 && results.values.allSatisfy { $0 })
        #expect(notifier.waiterCount == 0)
        #expect(notifier.end == 100)
    }
}
