import Foundation
import Testing

/// Seed 004's output page in a real browser: `eddy demo` polls its own API into Parquet files and normalises
/// them; the normalize-files page lists the files and previews one (schema and first rows).
@Suite(.serialized) struct FilesDashboardBrowserTests {
    @Test(
        .enabled(
            if: DashboardBrowserTests.chromium != nil,
            "EDDY_TEST_CHROMIUM is not set; run scripts/services/chromium.sh start (or scripts/test) to enable"
        ),
        .timeLimit(.minutes(3)))
    func outputPageListsAndPreviewsFiles() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-files-dashboard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let demo = try DemoProcess(dataDirectory: data.path)
        defer { demo.stop() }
        let base = try await demo.waitForURL()

        var name = ""
        try await waitUntil("a normalised Parquet file is listed") {
            let body = try await DashboardBrowserTests.get(base + "api/files")
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            let files = object?["files"] as? [[String: Any]] ?? []
            guard
                let file = files.first(where: {
                    $0["folder"] as? String == "normalized"
                        && ($0["name"] as? String)?.hasSuffix(".parquet") == true
                })
            else { return false }
            name = file["name"] as? String ?? ""
            return true
        }
        let preview = try await DashboardBrowserTests.get(base + "api/files/\(name)/preview?rows=3")
        #expect(
            preview.contains("\"records_in\""),
            "the preview lacks the snake_case column: \(preview.prefix(400))")

        let dom = try await DashboardBrowserTests.runChromium([
            "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
            "--virtual-time-budget=8000",
            "--dump-dom", base + "?streamSeconds=1&preview=\(name)#normalize-files",
        ])
        #expect(dom.contains("Normalised files"), "the files page did not render")
        #expect(dom.contains("data-file=\"\(name)\""), "\(name) is not listed as a link")
        #expect(dom.contains("-preview-title\">\(name)"), "the preview of \(name) did not open")
        #expect(dom.contains("records_in"), "the preview shows no schema")
    }
}
