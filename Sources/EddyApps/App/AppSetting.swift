/// A setting an app (or a simulator) accepts: a key of `eddy serve --config` (`{"kind": "sales", "sink":
/// "postgres://…"}`) and an option of `eddy run NAME` (`--sink postgres://…`). Values are checked when they
/// are read, so a bad one is reported with its place before anything starts.
///
/// ```swift
/// AppSetting("retrainEvery", help: "retrain after this many new ratings", defaultValue: "5000") {
///     guard let n = Int($0), n >= 1 else { throw SettingError("must be a whole number, 1 or more") }
/// }
/// AppSetting(flag: "seedQueryOnly", help: "run only the seed's query")
/// ```
public struct AppSetting: Sendable {
    public enum Kind: Sendable, Hashable {
        /// Takes a value: `--top 5`, `"top": 5`.
        case value
        /// On or off: `--seed-query-only`, `"seedQueryOnly": true`; its value reads `true` when on.
        case flag
    }

    /// The key in `serve --config` files and in ``AppLaunchContext/settings`` (lower camel case).
    public var name: String
    public var help: String
    public var kind: Kind
    /// What an absent setting means, for help texts.
    public var defaultValue: String?
    /// Throws a message-bearing error when `value` is not acceptable.
    public var check: @Sendable (_ value: String) throws -> Void

    public init(
        _ name: String, help: String, defaultValue: String? = nil,
        check: @escaping @Sendable (String) throws -> Void = { _ in }
    ) {
        self.name = name
        self.help = help
        self.kind = .value
        self.defaultValue = defaultValue
        self.check = check
    }

    public init(flag name: String, help: String) {
        self.name = name
        self.help = help
        self.kind = .flag
        self.defaultValue = nil
        self.check = { value in
            guard value == "true" || value == "false" else { throw SettingError("must be true or false") }
        }
    }

    /// The topic an app reads, which every app takes.
    public static let topic = AppSetting("topic", help: "the topic to read")

    /// The command-line spelling: `retrainEvery` → `--retrain-every`.
    public var option: String {
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
    public var helpLine: String {
        let usage = kind == .flag ? option : "\(option) <value>"
        let padded = usage.count < 30 ? usage + String(repeating: " ", count: 30 - usage.count) : usage + "  "
        return "  " + padded + help + (defaultValue.map { " (default: \($0))" } ?? "")
    }
}

/// A setting's value that an app refuses, with why.
public struct SettingError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension [AppSetting] {
    /// Reads `--name value`, `--name=value` and `--flag` arguments against these settings (and `--topic`,
    /// which every app takes, unless `topic` is false), checking each value. Throws ``SettingError`` naming
    /// the option.
    public func parse(arguments: [String], topic: Bool = true) throws(SettingError) -> [String: String] {
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
                throw SettingError("\(spelling) \(value): \(error)")
            }
            values[setting.name] = value
        }
        return values
    }
}
