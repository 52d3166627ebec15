import ArgumentParser
import EddyApps
import Foundation

/// `eddy run APP --help` and `eddy simulate NAME --help`: the app's (or simulator's) own summary and
/// options, then the options every app takes. The argument parser knows commands, not registry entries, so
/// these two are answered before it runs.
enum AppHelp {
    /// The help text `arguments` (without the program name) ask for, or nil when they ask for none of these.
    static func message(for arguments: [String], registry: AppRegistry = .standard) -> String? {
        guard arguments.count >= 3, arguments.contains(where: { $0 == "--help" || $0 == "-h" }) else {
            return nil
        }
        switch arguments[0] {
        case "run":
            guard let app = registry.app(named: arguments[1]) else { return nil }
            let defaultTopic = app.topics.first.map { " (default: \($0.name))" } ?? ""
            return compose(
                overview: app.summary + ".", usage: "eddy run \(app.name) [<options>]",
                section: app.name,
                options: [AppSetting.topic.helpLine + defaultTopic] + app.settings.map(\.helpLine),
                common: RunCommand.helpMessage())
        case "simulate":
            guard let simulator = registry.simulators.first(where: { $0.name == arguments[1] }) else {
                return nil
            }
            return compose(
                overview: simulator.summary + (simulator.details.isEmpty ? "" : "\n\n" + simulator.details),
                usage: "eddy simulate \(simulator.name) <count> [<options>]", section: simulator.name,
                options: simulator.settings.map(\.helpLine), common: SimulateCommand.helpMessage())
        default:
            return nil
        }
    }

    private static func compose(
        overview: String, usage: String, section: String, options: [String], common: String
    ) -> String {
        let shared = common.range(of: "OPTIONS:").map { String(common[$0.upperBound...]) } ?? ""
        var text = "OVERVIEW: \(overview)\n\nUSAGE: \(usage)\n\n"
        if !options.isEmpty {
            text += "\(section.uppercased()) OPTIONS:\n" + options.joined(separator: "\n") + "\n\n"
        }
        return text + "OPTIONS:" + shared
    }
}
