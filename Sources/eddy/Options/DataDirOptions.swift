import ArgumentParser
import EddyLog
import Foundation

/// `--data-dir PATH` (or `EDDY_DATA_DIR`, default `./eddy-data`): where the embedded log keeps its topics.
/// Shared by every command that opens the log.
///
/// ```swift
/// struct Describe: ParsableCommand {
///     @OptionGroup var dataDir: DataDirOptions
///     func run() throws { let log = try dataDir.openLog(flush: .default) }
/// }
/// ```
struct DataDirOptions: ParsableArguments {
    static let environmentVariable = "EDDY_DATA_DIR"
    static let defaultPath = "./eddy-data"

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Directory holding the topics (default: $EDDY_DATA_DIR, else ./eddy-data). Created when missing.",
            valueName: "path"))
    var explicitPath: String?

    /// The directory in use: the flag, else the environment variable, else `./eddy-data`.
    var path: String {
        if let explicitPath { return explicitPath }
        if let fromEnvironment = ProcessInfo.processInfo.environment[Self.environmentVariable],
            !fromEnvironment.isEmpty
        {
            return fromEnvironment
        }
        return Self.defaultPath
    }

    /// Opens (creating if needed) the embedded log in ``path``. Problems with the directory itself come
    /// back as one line that names it and the fix.
    func openLog(flush: FlushPolicy, maxRecordBytes: Int = FileLog.defaultMaxRecordBytes) throws -> FileLog {
        let path = self.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIError.dataDirectory(path: path, reason: "it is a file, not a directory")
            }
            guard FileManager.default.isWritableFile(atPath: path),
                FileManager.default.isReadableFile(atPath: path)
            else {
                throw CLIError.dataDirectory(path: path, reason: "permission denied")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw CLIError.dataDirectory(path: path, reason: "it cannot be created")
            }
        }
        DiskFull.remember(path)
        return try FileLog(directory: path, flushPolicy: flush, maxRecordBytes: maxRecordBytes)
    }
}
