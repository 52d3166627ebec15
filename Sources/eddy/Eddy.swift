import ArgumentParser
import EddyFormats
import EddyLog
import EddyStream
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `eddy` command: an embedded Kafka-model log and the tools around it.
@main
struct Eddy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eddy",
        abstract:
            "Real-time streaming analytics: an embedded Kafka-model log, a streaming engine, sinks and an API.",
        discussion: """
            Data lives in --data-dir (or $EDDY_DATA_DIR, default ./eddy-data). Quick start:
              eddy topics create motion --partitions 3
              eddy simulate motion 10000 | eddy produce motion --key-field id_sensor
              eddy consume motion --from-beginning --max-messages 5
            """,
        version: "0.1.0",
        subcommands: [
            TopicsCommand.self, ProduceCommand.self, ConsumeCommand.self, GroupsCommand.self,
            SimulateCommand.self, RunCommand.self, BenchCommand.self, ServeCommand.self, DemoCommand.self,
            TrainCommand.self, RecommendCommand.self, BrokerCommand.self, ExportCommand.self,
            SpotifyCommand.self, LikesCommand.self, SQLCommand.self,
        ])

    /// Runs the chosen command; a failure is one line on stderr (`error: …`, saying what to do) and exit
    /// status 1, instead of the argument parser's default multi-line report.
    static func main() async {
        bootstrapLogging()
        OpenFileLimit.raiseToHardLimit()
        if let help = AppHelp.message(for: Array(CommandLine.arguments.dropFirst())) {
            print(help)
            return
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as LogError {
            fail(error.withHint)
        } catch let error as PipelineError {
            fail(error.withHint)
        } catch let error as CLIError {
            fail(error.description)
        } catch let error as ParquetError {
            fail(error.description)
        } catch is CancellationError {
            terminate(130)
        } catch let code as ExitCode {
            terminate(code.rawValue)
        } catch {
            // --help and --version arrive here as "errors" that exit 0; let the parser print them.
            if exitCode(for: error) == .success { exit(withError: error) }
            // Flag and argument mistakes: the parser's message, on one line like every other failure.
            let message = message(for: error).split(separator: "\n").joined(separator: " ")
            fail("\(message) (see --help)")
        }
    }

    /// Diagnostics from the libraries go to stderr at `warning` and above, so stdout stays data and stderr
    /// stays short; `EDDY_LOG_LEVEL=info` (or `debug`, `trace`) shows more.
    private static func bootstrapLogging() {
        let name = ProcessInfo.processInfo.environment["EDDY_LOG_LEVEL"]?.lowercased() ?? "warning"
        let level = Logger.Level(rawValue: name) ?? .warning
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, level: level) }
    }

    private static func fail(_ message: String) -> Never {
        printError("error: " + message)
        terminate(1)
    }
}

/// The C library's `exit` (flushing stdio buffers), under a name the command types do not shadow.
private func terminate(_ status: Int32) -> Never {
    exit(status)
}
