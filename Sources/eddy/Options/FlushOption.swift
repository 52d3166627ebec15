import ArgumentParser
import EddyLog

/// `--flush always|interval|os`: the command-line face of ``FlushPolicy``.
enum FlushChoice: String, ExpressibleByArgument, CaseIterable {
    case always, interval, os

    var policy: FlushPolicy {
        switch self {
        case .always: return .always
        case .interval: return .default
        case .os: return .os
        }
    }

    static let help = ArgumentHelp(
        "When appends reach the disk: always (fsync before each batch is acknowledged; survives power loss), interval (fsync at least every second; the default), or os (leave it to the OS). All three survive a killed process.",
        valueName: "policy")
}
