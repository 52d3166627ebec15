/// A progress line on stderr, redrawn in place at most twice a second, only when stderr is a terminal
/// (so logs and pipes never see it).
///
/// ```swift
/// let progress = ProgressLine(enabled: isatty(2) == 1)
/// progress.update { "\(count) records" }
/// progress.finish()
/// ```
final class ProgressLine {
    private let enabled: Bool
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    private var shown = false

    init(enabled: Bool) {
        self.enabled = enabled
        last = clock.now
    }

    /// Redraws the line if enough time has passed; `text` is only evaluated then.
    func update(_ text: () -> String) {
        guard enabled else { return }
        let now = clock.now
        guard last.duration(to: now) >= .milliseconds(500) else { return }
        last = now
        shown = true
        printError("\r\u{1B}[K" + text() + "\r")
    }

    /// Clears the line so the summary starts on a clean one.
    func finish() {
        guard enabled, shown else { return }
        shown = false
        printError("\r\u{1B}[K\r")
    }
}
