import EddyApps
import EddyLog
import EddySQL
import EddyServer
import EddyStream
import Foundation

extension RunCommand {
    /// `eddy run --file pipeline.sql`: the file's queries as pipelines (one per source), with the same
    /// trigger, checkpoint and reset options as an app. Checkpoints go under the file's name (or --name).
    func runFile(_ path: String) async throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.invalidArgument("cannot read SQL file '\(path)'")
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
        let log = try dataDir.openLog(flush: .default)
        let script: SQLScript
        do {
            script = try SQLScript.plan(text, catalog: SQLCommand.catalog(log: log))
        } catch {
            throw CLIError.invalidArgument("\(path): \(error)")
        }
        // "sql-" keeps a file's checkpoints apart from an app's of the same name (retail.sql and retail).
        let baseName = name ?? "sql-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let context = AppLaunchContext(
            log: log, dataDirectory: dataDir.path, reset: reset, checkpointInterval: interval,
            trigger: trigger,
            console: format, maxRecordsPerBatch: maxRecordsPerBatch, startAtLatest: latest)
        let pipelines = try script.pipelines(named: baseName) { output in
            try SQLCommand.sink(for: output, console: format, log: log)
        }
        var runners: [PipelineRunner] = []
        for pipeline in pipelines {
            let store = CheckpointStore(dataDirectory: dataDir.path, pipeline: pipeline.name)
            if reset { try store.reset() }
            runners.append(
                try PipelineRunner(plan: context.configure(pipeline).build(), log: log, checkpoints: store))
        }
        let tables = script.outputs.map { "\($0.query.table) (\($0.query.mode.rawValue))" }
        printError("\(path): \(tables.joined(separator: ", ")), trigger \(trigger)")
        try await Self.runUntilStopped(runners.map { PipelineService(runner: $0) }, log: log)
        for runner in runners {
            let status = runner.status
            printError("\(runner.plan.name): stopped after \(status.recordsIn) records")
        }
    }
}
