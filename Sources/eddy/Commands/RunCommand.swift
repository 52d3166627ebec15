public import ArgumentParser
import EddyApps
import EddyLog
import EddyServer
import EddyStream
import Foundation
import Logging
import ServiceLifecycle

/// `eddy run APP`: one app's pipelines in the foreground, results printed (or written to the app's sink),
/// without the HTTP server. The apps and their options come from ``AppRegistry``.
///
/// ```text
/// eddy run retail                                  # continuous, Batch: N tables of areas
/// eddy run retail --trigger once --format json     # process what is there, one JSON object per row
/// eddy run retail --output top --trigger 5s        # busiest areas every 5 seconds
/// eddy run sales --sink postgres://eddy@127.0.0.1:5432/shop
/// eddy run --file examples/sql/retail.sql --trigger once   # a SQL file's queries (see SQLCommand)
/// ```
struct RunCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "run",
            abstract:
                "Run an app's pipelines, or a SQL file's queries (--file), in the foreground: \(AppRegistry.standard.names).",
            discussion: """
                State and offsets are checkpointed under <data-dir>/checkpoints/<name>/; a restart resumes \
                there (--reset starts over). Ctrl-C (SIGINT) or SIGTERM finishes the current batch, \
                checkpoints and exits; a second one exits at once. Each app takes --topic and its own options \
                (eddy run APP --help shows them):

                \(RunCommand.appOptionsHelp)
                """)
    }

    @Argument(help: ArgumentHelp("The app to run: \(AppRegistry.standard.names).", valueName: "app"))
    var app: String?

    @Option(
        help: ArgumentHelp(
            "A SQL file to run instead of an app: CREATE SOURCE, CREATE SINK … AS SELECT, INSERT INTO, SELECT.",
            valueName: "file.sql"))
    var file: String?

    @OptionGroup var dataDir: DataDirOptions

    @Option(help: "continuous, once, or a micro-batch interval such as 1s or 500ms.")
    var trigger: String = "continuous"

    @Option(help: "table (Spark-style Batch: N tables) or json (one object per result row, with its batch).")
    var format: AppLaunchContext.Console = .table

    @Option(help: "Seconds between checkpoints while running (they are also written on stop).")
    var checkpointInterval: Double = 5

    @Option(
        help: "Cap on records per batch (bounds batch size and lets --trigger once checkpoint as it goes).")
    var maxRecordsPerBatch: Int?

    @Option(help: "Name of the pipeline: its checkpoint folder (default: the app's name).")
    var name: String?

    @Flag(help: "Delete the pipeline's checkpoint and start from the beginning of the topic.")
    var reset = false

    @Flag(help: "Start at the end of the topic instead of the beginning (when there is no checkpoint).")
    var latest = false

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var appOptions: [String] = []

    func run() async throws {
        if let file {
            guard self.app == nil, appOptions.isEmpty else {
                throw CLIError.invalidArgument(
                    "--file runs a SQL file instead of an app; drop '\(([self.app].compactMap { $0 } + appOptions).joined(separator: " "))'"
                )
            }
            return try await runFile(file)
        }
        guard let appName = self.app else {
            throw CLIError.invalidArgument(
                "name an app to run (\(AppRegistry.standard.names)) or a SQL file with --file FILE.sql")
        }
        let registry = AppRegistry.standard
        let app: any EddyApp
        do {
            app = try registry.require(appName)
        } catch {
            throw CLIError.invalidArgument(error.description)
        }
        guard let trigger = Trigger(parsing: trigger) else {
            throw CLIError.invalidArgument(
                "--trigger must be continuous, once, or an interval such as 1s (got '\(self.trigger)')")
        }
        let interval = try Self.checkpointInterval(checkpointInterval)
        if let maxRecordsPerBatch, maxRecordsPerBatch < 1 {
            throw CLIError.invalidArgument(
                "--max-records-per-batch must be at least 1 (got \(maxRecordsPerBatch)); omit it for no cap")
        }
        let settings: [String: String]
        do {
            settings = try app.settings.parse(arguments: appOptions)
        } catch {
            throw CLIError.invalidArgument("\(app.name): \(error)")
        }
        let log = try dataDir.openLog(flush: .default)
        let context = AppLaunchContext(
            log: log, dataDirectory: dataDir.path, reset: reset, settings: settings,
            checkpointInterval: interval,
            trigger: trigger, console: format, maxRecordsPerBatch: maxRecordsPerBatch, startAtLatest: latest,
            instance: name)
        let launched: LaunchedApp
        do {
            launched = try app.launch(context)
        } catch {
            throw CLIError.invalidArgument("\(app.name) cannot start: \(Self.explain(error))")
        }
        if let summary = launched.summary { printError("\(app.name): \(summary), trigger \(trigger)") }
        try await Self.runUntilStopped(launched.services, log: log)
        for pipeline in launched.pipelines {
            let status = pipeline.status()
            var line = "\(pipeline.name): stopped after \(status.recordsIn) records"
            if status.deadLetters > 0 { line += "; \(status.deadLetters) sent to the dead-letter topic" }
            printError(line)
        }
    }

    /// Runs `services` until they finish (`--trigger once`) or a signal asks them to stop: the first SIGINT or
    /// SIGTERM shuts them down gracefully (batch finished, checkpoint written), a second exits at once.
    static func runUntilStopped(_ services: [any Service], log: FileLog) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map {
                    .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
                } + [.init(service: DataDirectoryWatch(log: log))],
                logger: Logger(label: "eddy.run")))
        let interrupt = InterruptSignal.install(deadline: InterruptSignal.stopDeadline) {
            Task { await group.triggerGracefulShutdown() }
        }
        defer { withExtendedLifetime(interrupt) {} }
        try await group.run()
    }

    /// Seconds as a duration, refusing a negative interval, not a number, or beyond a year.
    static func checkpointInterval(_ seconds: Double) throws -> Duration {
        guard !(seconds < 0) else {
            throw CLIError.invalidArgument("--checkpoint-interval must not be negative (got \(seconds))")
        }
        guard seconds.isFinite, seconds <= 366 * 86_400 else {
            throw CLIError.invalidArgument(
                "--checkpoint-interval must be a number of seconds up to 31622400 (got \(seconds))")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    static func explain(_ error: any Error) -> String {
        switch error {
        case let error as PipelineError: error.withHint
        case let error as LogError: error.withHint
        default: "\(error)"
        }
    }

    /// Each app's options, for `eddy run --help`.
    static var appOptionsHelp: String {
        AppRegistry.standard.apps.map { app in
            "  \(app.name): " + ([AppSetting.topic] + app.settings).map(\.option).joined(separator: ", ")
        }.joined(separator: "\n")
    }
}

extension AppLaunchContext.Console: ExpressibleByArgument {}
