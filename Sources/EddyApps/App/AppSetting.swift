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
}

/// A setting's value that an app refuses, with why.
public struct SettingError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
