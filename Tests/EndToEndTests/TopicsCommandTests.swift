import Foundation
import Testing

@Suite struct TopicsCommandTests {
    @Test func createListDescribeDelete() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }

        let created = try eddy.run([
            "topics", "create", "motion", "--partitions", "3", "--retention-ms", "600000",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("Created topic 'motion' with 3 partitions"))
        #expect(try eddy.run(["topics", "create", "sales"]).status == 0)

        #expect(try eddy.run(["topics", "list"]).stdoutLines == ["motion", "sales"])

        let produced = try eddy.run(["produce", "motion"], lines: (0..<30).map { "{\"n\": \($0)}" })
        #expect(produced.status == 0, "\(produced.stderr)")
        let described = try eddy.run(["topics", "describe", "motion"])
        #expect(described.status == 0)
        #expect(described.stdout.contains("Topic: motion\tPartitions: 3\tRetention: 600000 ms"))
        #expect(described.stdout.contains("Records: 30\t"))
        let partitionRows = described.stdoutLines.filter { $0.hasPrefix("  ") && !$0.contains("PARTITION") }
        #expect(partitionRows.count == 3)
        let counts = partitionRows.map { row in Int(row.split(separator: " ")[3])! }
        #expect(counts.reduce(0, +) == 30)

        #expect(try eddy.run(["topics", "delete", "motion"]).status == 0)
        #expect(try eddy.run(["topics", "list"]).stdoutLines == ["sales"])
        expectOneLineError(
            try eddy.run(["topics", "describe", "motion"]), containing: ["eddy topics create motion"])
    }

    @Test func badInputsGiveOneClearLine() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }

        expectOneLineError(
            try eddy.run(["topics", "describe", "nope"]),
            containing: ["topic 'nope' does not exist", "eddy topics create nope"])
        expectOneLineError(
            try eddy.run(["topics", "delete", "nope"]), containing: ["topic 'nope' does not exist"])
        expectOneLineError(
            try eddy.run(["topics", "create", "motion", "--partitions", "0"]),
            containing: ["partition count 0"])
        #expect(try eddy.run(["topics", "list"]).stdoutLines.isEmpty, "a failed create left a topic behind")
        expectOneLineError(try eddy.run(["topics", "create", "bad/name"]), containing: ["bad/name"])

        #expect(try eddy.run(["topics", "create", "motion"]).status == 0)
        expectOneLineError(
            try eddy.run(["topics", "create", "motion"]),
            containing: ["already exists", "eddy topics describe motion"])

        expectOneLineError(
            try eddy.run(["produce", "missing"], lines: ["x"]),
            containing: ["eddy topics create missing", "--create"])
        expectOneLineError(
            try eddy.run(["consume", "missing", "--max-messages", "1"]),
            containing: ["eddy topics create missing"])
        expectOneLineError(
            try eddy.run(["consume", "motion", "--partition", "4", "--max-messages", "1"]),
            containing: ["partition 4 does not exist"])

        // Flag and argument mistakes follow the same one-line rule.
        expectOneLineError(try eddy.run(["produce"]), containing: ["<topic>", "--help"])
        expectOneLineError(
            try eddy.run(["consume", "motion", "--max-messages", "0"]), containing: ["--max-messages"])
        expectOneLineError(
            try eddy.run(["simulate", "motion", "10", "--null-rate", "2"]), containing: ["--null-rate"])
        expectOneLineError(
            try eddy.run(["topics", "create", "x", "--partitions", "many"]), containing: ["many"])

        // A data directory that is a file cannot be used.
        let file = eddy.workDirectory + "/not-a-directory"
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        expectOneLineError(
            try eddy.run(["topics", "list"], dataDir: file), containing: ["not-a-directory", "--data-dir"])
    }

    @Test func everyCommandHasHelp() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let commands: [[String]] = [
            ["topics", "create"], ["topics", "list"], ["topics", "describe"], ["topics", "delete"],
            ["produce"],
            ["consume"], ["simulate", "motion"], ["simulate", "sales"], ["bench", "produce"],
            ["bench", "log"], ["bench", "json"], ["groups", "list"], ["groups", "describe"],
        ]
        for command in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: EddyBinary.path)
            process.arguments = command + ["--help"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(
                text.contains("OVERVIEW:") && (text.contains("--data-dir") || command.first == "bench"))
            #expect(text.contains("USAGE: eddy \(command.joined(separator: " "))"), "\(text)")
        }
    }

    @Test func dataDirComesFromTheEnvironmentWithoutTheFlag() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let fromEnvironment = eddy.workDirectory + "/env-data"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: EddyBinary.path)
        process.arguments = ["topics", "create", "viaenv"]
        process.environment = ProcessInfo.processInfo.environment.merging(["EDDY_DATA_DIR": fromEnvironment])
        { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: eddy.workDirectory)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: fromEnvironment + "/topics/viaenv"))
        #expect(!FileManager.default.fileExists(atPath: eddy.workDirectory + "/eddy-data"))
        #expect(try eddy.run(["topics", "list"], dataDir: fromEnvironment).stdoutLines == ["viaenv"])
    }
}
