import EddyConnectors
import Foundation
import Testing

@testable import eddy

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ServeConfigurationTests {
    static func parse(_ json: String) throws(ServeConfiguration.Problem) -> ServeConfiguration {
        try ServeConfiguration.parse(Data(json.utf8))
    }

    @Test func fullFileParses() throws {
        let configuration = try Self.parse(
            """
            {"host": "0.0.0.0", "port": 9000, "dataDir": "/srv/eddy",
             "pipelines": [{"kind": "retail", "topic": "sensors"},
                           {"kind": "sales", "sink": "postgres://eddy:secret@127.0.0.1:5432/shop"}]}
            """)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.dataDir == "/srv/eddy")
        #expect(
            configuration.pipelines == [
                ServeConfiguration.Pipeline(kind: "retail", settings: ["topic": "sensors"]),
                ServeConfiguration.Pipeline(
                    kind: "sales", settings: ["sink": "postgres://eddy:secret@127.0.0.1:5432/shop"]),
            ])
        #expect(try Self.parse("{}") == ServeConfiguration())
    }

    @Test(arguments: [
        (#"[1]"#, "the top level must be an object"),
        (#"{"prot": 80}"#, "unknown key 'prot'"),
        (#"{"port": "80"}"#, "'port' must be an integer from 0 to 65535"),
        (#"{"port": 70000}"#, "'port' must be an integer from 0 to 65535"),
        (#"{"port": true}"#, "'port' must be an integer"),
        (#"{"pipelines": {}}"#, "'pipelines' must be a list"),
        (#"{"pipelines": [{"topic": "x"}]}"#, "'pipelines[0].kind' is missing"),
        (
            #"{"pipelines": [{"kind": "weather"}]}"#,
            "'pipelines[0].kind' is 'weather'; expected one of retail, sales, recommendations"
        ),
        (#"{"pipelines": [{"kind": "retail"}, {"kind": "retail"}]}"#, "pipeline 'retail' appears twice"),
        (
            #"{"pipelines": [{"kind": "retail", "sink": "sqlite:x"}]}"#,
            "unknown key 'pipelines[0].sink' (known: kind, output, seedQueryOnly, top, topic, workers)"
        ),
        (#"{"pipelines": [{"kind": "sales", "sink": "mysql://x"}]}"#, "'pipelines[0].sink'"),
        (#"{"pipelines": [{"kind": "sales", "tpoic": "x"}]}"#, "unknown key 'pipelines[0].tpoic'"),
        (#"{"host": ""}"#, "'host' must be a non-empty string"),
        (#"{"host": "#, "not valid JSON"),
    ])
    func badFileIsRefusedWithItsReason(json: String, expected: String) {
        #expect {
            try Self.parse(json)
        } throws: { error in
            (error as? ServeConfiguration.Problem)?.message.contains(expected) == true
        }
    }

    @Test func badFileStopsServeWithOneLine() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let config = eddy.workDirectory + "/eddy.json"
        try Data(#"{"pipelines": [{"kind": "retail", "topc": "motion"}]}"#.utf8).write(
            to: URL(fileURLWithPath: config))
        let result = try eddy.run(["serve", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("--config \(config): unknown key 'pipelines[0].topc'"))
        let missing = try eddy.run(["serve", "--config", eddy.workDirectory + "/nope.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read the file"))
    }

    @Test(.timeLimit(.minutes(2))) func serveRunsWhatTheFileSays() async throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "sensors", "--partitions", "1"]).status == 0)
        let config = eddy.workDirectory + "/eddy.json"
        try Data(
            """
            {"port": 0, "dataDir": "\(eddy.dataDir)", "pipelines": [{"kind": "retail", "topic": "sensors"}]}
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: EddyBinary.path)
        process.arguments = ["serve", "--config", config, "--kafka-port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGINT)
                process.waitUntilExit()
            }
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let start = try #require(line.range(of: "http://127.0.0.1:"), "no URL in \(line)")
        let end = try #require(line[start.upperBound...].firstIndex(of: "/"))
        let port = try #require(Int(line[start.upperBound..<end]))
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/api/pipelines"))
        let body = try String(contentsOf: url, encoding: .utf8)
        #expect(body.contains(#""name":"retail""#))
        #expect(body.contains(#""sources":["sensors"]"#), "the file's topic is not the one read: \(body)")
        #expect(!body.contains(#""name":"sales""#))
    }
}
