import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `eddy` binary for the end-to-end tests, each test in its own data directory.
///
/// The binary is `$EDDY_BIN` when set, else `eddy` beside the test bundle (the build products folder),
/// else `.build/debug/eddy` under the package root found from this file's path.
struct EddyBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        var stdoutLines: [String] {
            var lines = stdout.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return lines
        }

        var stderrLines: [String] {
            stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
    }

    static let path: String = {
        if let fromEnvironment = ProcessInfo.processInfo.environment["EDDY_BIN"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {  // the bundle's executable sits a few folders below the products folder on macOS
            let candidate = folder.appendingPathComponent("eddy").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/eddy").path
    }()

    /// A fresh directory for one test; `dataDir` inside it is passed to every command.
    let workDirectory: String
    var dataDir: String { workDirectory + "/data" }

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-e2e-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        workDirectory = base.path
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: workDirectory)
    }

    /// Runs `eddy ARGUMENTS --data-dir <dataDir>` to completion, stdin from `input`.
    @discardableResult
    func run(_ arguments: [String], input: Data = Data(), dataDir: String? = nil) throws -> Result {
        let name = UUID().uuidString
        let inPath = "\(workDirectory)/\(name).in"
        let outPath = "\(workDirectory)/\(name).out"
        let errPath = "\(workDirectory)/\(name).err"
        try input.write(to: URL(fileURLWithPath: inPath))
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            for path in [inPath, outPath, errPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments + ["--data-dir", dataDir ?? self.dataDir]
        process.standardInput = FileHandle(forReadingAtPath: inPath)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: outPath)), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self))
    }

    func run(_ arguments: [String], lines: [String]) throws -> Result {
        try run(arguments, input: Data(lines.map { $0 + "\n" }.joined().utf8))
    }

    /// Starts `eddy ARGUMENTS` with pipes for stdin and stdout, for tests that feed and kill it.
    func start(_ arguments: [String]) throws -> (Process, stdin: FileHandle, stdout: FileHandle) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments + ["--data-dir", dataDir]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        return (process, input.fileHandleForWriting, output.fileHandleForReading)
    }
}

/// Checks the CLI's error contract: a non-zero exit and exactly one line on stderr, starting `error:`.
func expectOneLineError(
    _ result: EddyBinary.Result, containing fragments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.status != 0, "exit status", sourceLocation: sourceLocation)
    #expect(result.stderrLines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("error: "), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(
            result.stderr.contains(fragment), "stderr lacks '\(fragment)': \(result.stderr)",
            sourceLocation: sourceLocation)
    }
}

/// Reads `stdout` until its first line is complete (or the stream ends) and returns what it read: the line
/// a long-running command announces itself with.
func firstLine(of stdout: FileHandle) -> String {
    var announced = ""
    while !announced.contains("\n") {
        let chunk = stdout.availableData
        if chunk.isEmpty { break }
        announced += String(decoding: chunk, as: UTF8.self)
    }
    return announced
}
