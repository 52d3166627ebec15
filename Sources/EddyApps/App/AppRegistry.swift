/// The apps Eddy knows, in one list: `eddy demo`, `eddy serve` and the server iterate it.
///
/// ```swift
/// let retail = AppRegistry.standard.app(named: "retail")
/// let mine = AppRegistry(AppRegistry.standard.apps + [MyApp()])
/// ```
public struct AppRegistry: Sendable {
    public var apps: [any EddyApp]

    public init(_ apps: [any EddyApp]) {
        self.apps = apps
    }

    /// The seed pipelines, one line each.
    public static let standard = AppRegistry([
        RetailApp(),
        SalesApp(),
        RecommendationsApp(),
        SongsApp(),
        ApiToParquetApp(),
        NormalizeFilesApp(),
    ])

    public func app(named name: String) -> (any EddyApp)? {
        apps.first { $0.name == name }
    }

    /// `retail, sales, recommendations`, for help texts and error messages.
    public var names: String {
        apps.map(\.name).joined(separator: ", ")
    }
}

/// An app name that is not in the registry.
public struct UnknownAppError: Error, CustomStringConvertible {
    public var name: String
    public var known: String

    public var description: String {
        "no app named '\(name)' (apps: \(known))"
    }
}

extension AppRegistry {
    /// The app called `name`, or an error listing the ones there are.
    public func require(_ name: String) throws(UnknownAppError) -> any EddyApp {
        guard let app = app(named: name) else { throw UnknownAppError(name: name, known: names) }
        return app
    }
}

extension AppRegistry {
    /// Each app's own `serve --config` settings, one per line (`  sales.sink: sqlite:PATH or …`).
    public var settingsHelp: String {
        let lines = apps.flatMap { app in app.settings.map { "  \(app.name).\($0.name): \($0.help)" } }
        return lines.isEmpty ? "  (none)" : lines.joined(separator: "\n")
    }
}
