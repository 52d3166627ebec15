import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// schemathesis in `.build/venv` (scripts/test installs it), else nil.
let schemathesisPath: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let path = root.appendingPathComponent(".build/venv/bin/schemathesis").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// Hostile HTTP input, generated from the API's own document: schemathesis runs every check
/// (`--checks all`: no 5xx, every answer matching `/openapi.json`, schema-valid requests accepted, invalid
/// ones refused, undeclared methods answered 405) against a running `eddy demo` with its simulators, so
/// every app's routes are fed live tables. The one exemption (a column name in `orderBy`) is explained in
/// `Tests/schemathesis.toml`.
@Suite(.enabled(if: schemathesisPath != nil, "needs schemathesis in .build/venv (scripts/test installs it)"))
struct HostileHTTPTests {
    @Test func everyEndpointHoldsToItsDocumentUnderGeneratedRequests() throws {
        let schemathesis = try #require(schemathesisPath)
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let (demo, address) = try RunningEddy.demo(eddy)
        defer { demo.kill(SIGTERM) }
        // Let every pipeline write its tables once, so routes answer with rows rather than empty lists.
        sleep(5)

        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schemathesis.toml").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: schemathesis)
        process.arguments = [
            "--no-color", "--config-file", config, "run", "\(address)openapi.json", "--checks", "all",
            "--phases", "examples,coverage,fuzzing", "--max-examples", "10", "--seed", "1",
            "--request-timeout", "30",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: eddy.workDirectory)
        let output = URL(fileURLWithPath: eddy.workDirectory + "/schemathesis.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        let report = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "schemathesis found failures:\n\(report.suffix(6000))")
        #expect(report.contains("Coverage"), "\(report.suffix(2000))")
        #expect(demo.process.isRunning, "eddy demo stopped under the generated requests:\n\(demo.stderr)")
    }
}
