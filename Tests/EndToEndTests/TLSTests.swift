import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A tool on PATH, such as `openssl` or `curl`, else nil.
func toolOnPath(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Runs a tool to completion in `directory` and returns its exit status and output.
func runTool(_ tool: String, _ arguments: [String], in directory: String) throws -> EddyBinary.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let outPath = "\(directory)/.tool-\(UUID().uuidString).out"
    let errPath = "\(directory)/.tool-\(UUID().uuidString).err"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { for path in [outPath, errPath] { try? FileManager.default.removeItem(atPath: path) } }
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    try process.run()
    process.waitUntilExit()
    return EddyBinary.Result(
        status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// Issue 15, item 5: `--tls-cert/--tls-key` serve the API over HTTPS. A throw-away CA signs a certificate for
/// 127.0.0.1; curl trusting that CA gets answers (the access token still required), curl without it refuses
/// the certificate, and plain HTTP to the HTTPS port gets no answer.
@Suite(
    .enabled(
        if: toolOnPath("openssl") != nil && toolOnPath("curl") != nil,
        "needs openssl and curl on PATH (scripts/test installs them)"))
struct TLSTests {
    static let token = "tls-test-token-0123456789abcdef"

    /// A CA (`ca.pem`) and a server certificate for 127.0.0.1 and localhost it signed (`server.pem`,
    /// `server-key.pem`), in `directory`.
    static func makeCertificates(in directory: String) throws {
        let openssl = try #require(toolOnPath("openssl"))
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(
            toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Eddy test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            ],
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "server-key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
            ],
            [
                "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
            ],
        ]
        for step in steps {
            let result = try runTool(openssl, step, in: directory)
            try #require(result.status == 0, "openssl \(step.joined(separator: " ")): \(result.stderr)")
        }
    }

    @Test func servesHTTPSOnlyToClientsTrustingItsCertificateAndStillWantsTheToken() throws {
        let curl = try #require(toolOnPath("curl"))
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let directory = eddy.workDirectory
        try Self.makeCertificates(in: directory)
        #expect(try eddy.run(["topics", "create", "motion"]).status == 0)
        let serve = try RunningEddy(
            eddy,
            [
                "serve", "--host", "0.0.0.0", "--port", "0", "--pipeline", "retail", "--no-kafka", "--token",
                Self.token, "--tls-cert", directory + "/server.pem", "--tls-key",
                directory + "/server-key.pem",
            ])
        defer { serve.kill(SIGTERM) }
        #expect(serve.waitFor(seconds: 60) { $0.contains("Eddy is serving") }, "\(serve.stderr)")
        #expect(serve.stdout.contains("Eddy is serving https://0.0.0.0:"), "\(serve.stdout)")
        let port = try #require(
            serve.stdout.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) })

        /// curl's exit status and the HTTP status it got ("000" when there was no answer).
        func get(_ url: String, _ options: [String]) throws -> (exit: Int32, status: String, stderr: String) {
            let result = try runTool(
                curl, ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10"] + options + [url],
                in: directory)
            return (result.status, result.stdout, result.stderr)
        }
        let base = "https://127.0.0.1:\(port)"
        let trusting = ["--cacert", directory + "/ca.pem"]
        let bearer = ["-H", "Authorization: Bearer \(Self.token)"]

        let health = try get(base + "/health", trusting)
        #expect(health.exit == 0 && health.status == "200", "\(health)")
        #expect(try get(base + "/api/pipelines", trusting).status == "401")
        #expect(try get(base + "/api/pipelines", trusting + bearer).status == "200")
        #expect(try get("https://localhost:\(port)/api/retail/areas", trusting + bearer).status == "200")

        // Plain HTTP on the HTTPS port: the handshake fails, no HTTP answer comes back.
        let plain = try get("http://127.0.0.1:\(port)/health", [])
        #expect(plain.exit != 0 && plain.status == "000", "\(plain)")
        // Without the CA, curl refuses the certificate (exit 60: peer certificate cannot be authenticated).
        let untrusting = try get(base + "/health", [])
        #expect(untrusting.exit == 60 && untrusting.status == "000", "\(untrusting)")
        #expect(serve.process.isRunning, "\(serve.stderr)")
    }

    @Test func tlsFlagsComeInPairsAndBadFilesAreNamed() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let directory = eddy.workDirectory
        try Self.makeCertificates(in: directory)
        let certificate = directory + "/server.pem"
        let key = directory + "/server-key.pem"
        let serve = ["serve", "--port", "0", "--no-kafka"]

        expectOneLineError(try eddy.run(serve + ["--tls-cert", certificate]), containing: ["--tls-key"])
        expectOneLineError(try eddy.run(serve + ["--tls-key", key]), containing: ["--tls-cert"])
        let missing = directory + "/missing.pem"
        expectOneLineError(
            try eddy.run(serve + ["--tls-cert", missing, "--tls-key", key]),
            containing: [missing, "no such file"])
        // A key where the certificate belongs, and a certificate where the key belongs.
        expectOneLineError(
            try eddy.run(serve + ["--tls-cert", key, "--tls-key", key]),
            containing: [key, "PEM certificate"])
        expectOneLineError(
            try eddy.run(serve + ["--tls-cert", certificate, "--tls-key", certificate]),
            containing: [certificate, "private key"])
        // A key of its own, not the certificate's.
        let openssl = try #require(toolOnPath("openssl"))
        let other = try runTool(
            openssl,
            ["genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", "other.pem"],
            in: directory)
        try #require(other.status == 0, "\(other.stderr)")
        expectOneLineError(
            try eddy.run(serve + ["--tls-cert", certificate, "--tls-key", directory + "/other.pem"]),
            containing: [directory + "/other.pem", "not the private key"])
        let demo = try eddy.run(["demo", "--port", "0", "--no-kafka", "--tls-cert", certificate])
        expectOneLineError(demo, containing: ["--tls-key"])
    }
}
