import EddyApps
import EddyConnectors

/// How app and simulator settings are spelt on the command line (`eddy run APP --retrain-every 100`,
/// `eddy simulate motion 10 --null-rate 0.1`): the CLI's syntax over the apps' declarations.
extension AppSetting {
    /// The command-line spelling: `retrainEvery` → `--retrain-every`.
    var option: String {
        var text = "--"
        for character in name {
            if character.isUppercase {
                text += "-" + character.lowercased()
            } else {
                text.append(character)
            }
        }
        return text
    }

    /// `  --top <value>    rows in the top table (default: 3)`, for help texts.
    var helpLine: String {
        let usage = kind == .flag ? option : "\(option) <value>"
        let padded = usage.count < 30 ? usage + String(repeating: " ", count: 30 - usage.count) : usage + "  "
        return "  " + padded + help + (defaultValue.map { " (default: \($0))" } ?? "")
    }
}

extension [AppSetting] {
    /// Reads `--name value`, `--name=value` and `--flag` arguments against these settings (and `--topic`,
    /// which every app takes, unless `topic` is false), checking each value. Throws ``SettingError`` naming
    /// the option.
    func parse(arguments: [String], topic: Bool = true) throws(SettingError) -> [String: String] {
        let all = (topic ? [AppSetting.topic] : []) + self
        var values: [String: String] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            let (spelling, inline): (String, String?) =
                if let equals = argument.firstIndex(of: "=") {
                    (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
                } else {
                    (argument, nil)
                }
            guard let setting = all.first(where: { $0.option == spelling }) else {
                let known = all.map(\.option).joined(separator: ", ")
                throw SettingError(
                    argument.hasPrefix("-")
                        ? "unknown option '\(spelling)' (options here: \(known))"
                        : "unexpected argument '\(argument)'")
            }
            let value: String
            switch (setting.kind, inline) {
            case (.flag, nil): value = "true"
            case (.flag, .some(let text)): value = text
            case (.value, .some(let text)): value = text
            case (.value, nil):
                guard index < arguments.endIndex else { throw SettingError("\(spelling) needs a value") }
                value = arguments[index]
                index += 1
            }
            do {
                try setting.check(value)
            } catch {
                // The value may be a database URL with a password: shown masked.
                throw SettingError("\(spelling) \(SinkURL.redacted(value)): \(error)")
            }
            values[setting.name] = value
        }
        return values
    }
}
