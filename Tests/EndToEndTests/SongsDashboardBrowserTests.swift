import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The songs tab in a real browser: `eddy serve --pipeline songs` over a catalogue, two users' likes posted
/// through the API, and headless Chromium's DOM of the dashboard — the first user picked, their likes and
/// recommendations shown (not the other user's), then a like posted through the API shown too.
///
/// Robust under load: every wait is on a condition, through the API first (so the page has something to
/// draw), then by loading the page again until the DOM shows it — never a fixed sleep deciding the result.
/// Needs `scripts/services/chromium.sh start` (sets EDDY_TEST_CHROMIUM; `scripts/test` does it).
@Suite(
    .enabled(
        if: SongsBrowser.chromium != nil,
        "EDDY_TEST_CHROMIUM is not set; run scripts/services/chromium.sh start (or scripts/test) to enable"))
struct SongsDashboardBrowserTests {
    @Test(.timeLimit(.minutes(8)))
    func songsTabShowsAUsersLikesAndRecommendationsAndANewLike() async throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        // The real catalogue when fetched, else the synthetic one of the same shape.
        let simulated = try eddy.run(["simulate", "songs", "3000", "--to", "songs", "--seed", "7"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let serve = try RunningEddy(eddy, ["serve", "--pipeline", "songs", "--port", "0", "--no-kafka"])
        defer { serve.kill(SIGKILL) }
        let base = try await SongsHTTP.waitForServer(serve)

        var byGenre: [String: [String]] = [:]
        try await SongsHTTP.until("the catalogue is served", seconds: 180, serve) {
            let table = try await SongsHTTP.get(base + "/api/pipelines/songs/tables/catalogue?limit=10000")
                .json
            byGenre = [:]
            for row in table["rows"] as? [[String: Any]] ?? [] {
                if let id = row["track_id"] as? String, let genre = row["genre"] as? String {
                    byGenre[genre, default: []].append(id)
                }
            }
            return byGenre.count >= 2 && byGenre.values.allSatisfy { $0.count >= 12 }
        }
        let genres = byGenre.keys.sorted()
        // "ana" sorts first, so the page picks her; "bruno" likes another genre.
        var recommended: [String: [String]] = [:]
        for (user, genre) in [("ana", genres[0]), ("bruno", genres[1])] {
            for id in byGenre[genre]!.sorted().prefix(10) {
                let (status, answer) = try await SongsHTTP.post(
                    base + "/api/users/\(user)/likes", body: #"{"track_id": "\#(id)"}"#)
                #expect(status == 200, "\(answer)")
            }
        }
        let liked = byGenre[genres[0]]!.sorted().prefix(10)
        try await SongsHTTP.until(
            "the live tables have both users' likes and recommendations", seconds: 180, serve
        ) {
            recommended = try await Self.recommendations(base)
            let likes = try await Self.likes(base)
            return recommended["ana"]?.count == 10 && recommended["bruno"]?.count == 10
                && likes["ana"]?.count == 10 && likes["bruno"]?.count == 10
        }

        // The page: ana picked, her likes and recommendations, none of bruno's likes.
        let anaOnly = Set(recommended["ana"]!).subtracting(recommended["bruno"]!)
        let brunoLikes = try await Self.likes(base)["bruno"] ?? []
        let first = try await SongsBrowser.dump(
            base + "/?streamSeconds=1#songs", until: "ana's likes and recommendations"
        ) {
            dom in
            SongsBrowser.selected(in: dom).contains("ana")
                && SongsBrowser.options(in: dom).isSuperset(of: ["ana", "bruno"])
                && liked.allSatisfy { SongsBrowser.panel("Liked tracks of", in: dom).contains($0) }
                && anaOnly.allSatisfy { SongsBrowser.panel("Recommendations for", in: dom).contains($0) }
                && SongsBrowser.panel("Catalogue, normalised features", in: dom).components(
                    separatedBy: "<tr>"
                )
                .count - 1 == 13
                && SongsBrowser.panel("Taste profile vs recommendations", in: dom).components(
                    separatedBy: "class=\"compare-row\""
                ).count - 1 == 12
        }
        let likesPanel = SongsBrowser.panel("Liked tracks of", in: first)
        #expect(!brunoLikes.contains { likesPanel.contains($0) }, "bruno's likes are shown for ana")

        // A like posted through the API appears on the page, with the recommendations it leads to.
        let extra = try #require(recommended["ana"]?.first)
        let (status, answer) = try await SongsHTTP.post(
            base + "/api/users/ana/likes", body: #"{"track_id": "\#(extra)"}"#)
        #expect(status == 200, "\(answer)")
        var fresh: [String] = []
        try await SongsHTTP.until("the live tables have ana's new like", seconds: 180, serve) {
            fresh = try await Self.recommendations(base)["ana"] ?? []
            return try await Self.likes(base)["ana"]?.contains(extra) == true && !fresh.contains(extra)
                && fresh.count == 10
        }
        let now = fresh
        _ = try await SongsBrowser.dump(base + "/?streamSeconds=1#songs", until: "ana's new like") { dom in
            SongsBrowser.panel("Liked tracks of", in: dom).contains(extra)
                && !SongsBrowser.panel("Recommendations for", in: dom).contains(extra)
                && now.allSatisfy { SongsBrowser.panel("Recommendations for", in: dom).contains($0) }
        }
        serve.kill(SIGTERM)
    }

    /// Track ids per user in a live table of the songs pipeline.
    static func tracksByUser(_ base: String, table: String) async throws -> [String: [String]] {
        let answer = try await SongsHTTP.get(base + "/api/pipelines/songs/tables/\(table)?limit=10000").json
        var result: [String: [String]] = [:]
        for row in answer["rows"] as? [[String: Any]] ?? [] {
            if let user = row["user_id"] as? String, let id = row["track_id"] as? String {
                result[user, default: []].append(id)
            }
        }
        return result
    }

    static func recommendations(_ base: String) async throws -> [String: [String]] {
        try await tracksByUser(base, table: "song_recommendations")
    }

    static func likes(_ base: String) async throws -> [String: [String]] {
        try await tracksByUser(base, table: "likes")
    }
}

/// Headless Chromium for the songs tab, and reading its DOM.
enum SongsBrowser {
    static let chromium = ProcessInfo.processInfo.environment["EDDY_TEST_CHROMIUM"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Loads `url` and returns the DOM once `condition` holds on it, loading the page again (up to 8 times)
    /// while it does not: under load the page's first fetches may land after the virtual-time budget.
    static func dump(
        _ url: String, until what: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        var dom = ""
        for attempt in 1...8 {
            dom = try await run([
                "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
                "--virtual-time-budget=10000", "--dump-dom", url,
            ])
            if condition(dom) { return dom }
            print("SongsDashboardBrowserTests: the page does not show \(what) yet (load \(attempt) of 8)")
            try await Task.sleep(for: .seconds(1))
        }
        Issue.record("the page never showed \(what): \(dom.prefix(3000))", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Runs Chromium with a profile of its own, off the concurrency pool, stopped after 60 s at most.
    static func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments) })
            }
        }
    }

    static func runBlocking(_ arguments: [String]) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-songs-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--user-data-dir=\(profile.path)"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning { process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The HTML of the card whose title starts with `title` (empty when there is none).
    static func panel(_ title: String, in dom: String) -> Substring {
        guard let start = dom.range(of: "<h3>" + title) else { return "" }
        let rest = dom[start.lowerBound...]
        guard let end = rest.range(of: "</section>") else { return rest }
        return rest[..<end.upperBound]
    }

    /// The values of the first user picker's options, and the selected one.
    static func options(in dom: String) -> Set<String> {
        Set(pickerOptions(in: dom).map(\.value))
    }

    static func selected(in dom: String) -> Set<String> {
        Set(pickerOptions(in: dom).filter(\.selected).map(\.value))
    }

    static func pickerOptions(in dom: String) -> [(value: String, selected: Bool)] {
        let card = panel("Recommendations for", in: dom)
        guard let select = card.range(of: "<select"),
            let end = card[select.lowerBound...].range(of: "</select>")
        else { return [] }
        return card[select.lowerBound..<end.lowerBound].components(separatedBy: "<option").dropFirst()
            .compactMap {
                part in
                guard let close = part.firstIndex(of: ">") else { return nil }
                let value = part[part.index(after: close)...].prefix { $0 != "<" }
                return (String(value), part[..<close].contains("selected"))
            }
    }
}
