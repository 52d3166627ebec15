import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15, item 1: SIGTERM stops `eddy demo`, `run` and `consume` within 10 s whatever happened to the data
/// directory, and a directory removed or replaced under a running process stops it with an error naming the
/// directory instead of letting it write into the new one.
@Suite(.serialized) struct StopTests {
    /// The time a stop may take, from the signal to the exit.
    static let limit: TimeInterval = 10

    /// Starts `eddy demo` on free ports and waits for its banner.
    private func startDemo(_ eddy: EddyBinary) throws -> RunningEddy {
        let (demo, _) = try RunningEddy.demo(eddy)
        Thread.sleep(forTimeInterval: 3)  // simulators writing, pipelines running, a checkpoint or two
        return demo
    }

    /// Sends SIGTERM and returns the seconds until the process exited (SIGKILLing it after 30 s).
    private func stopTime(_ running: RunningEddy) -> TimeInterval {
        let started = Date()
        if running.process.isRunning { _ = Glibc.kill(running.process.processIdentifier, SIGTERM) }
        while running.process.isRunning && Date().timeIntervalSince(started) < 30 { usleep(20_000) }
        let elapsed = Date().timeIntervalSince(started)
        running.kill(SIGKILL)
        return elapsed
    }

    /// Waits up to `seconds` for the process to exit on its own; returns whether it did.
    private func exitsByItself(_ running: RunningEddy, within seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while running.process.isRunning && Date() < deadline { usleep(20_000) }
        return !running.process.isRunning
    }

    @Test func demoStopsOnSIGTERMWithItsDirectoryIntact() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let demo = try startDemo(eddy)
        let elapsed = stopTime(demo)
        #expect(elapsed < Self.limit, "took \(elapsed) s\n\(demo.stderr)")
        #expect(demo.process.terminationStatus == 0, "\(demo.stderr)")
    }

    @Test func demoWhoseDirectoryIsRemovedStopsWithAnErrorNamingIt() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let demo = try startDemo(eddy)
        try FileManager.default.removeItem(atPath: eddy.dataDir)
        let stopped = exitsByItself(demo, within: Self.limit)
        if !stopped { _ = stopTime(demo) }
        #expect(stopped, "still running \(Self.limit) s after its data directory was removed\n\(demo.stderr)")
        #expect(demo.process.terminationStatus != 0)
        #expect(demo.stderr.contains("data directory \(eddy.dataDir) was removed"), "\(demo.stderr)")
    }

    @Test func demoWhoseDirectoryIsReplacedStopsAndLeavesTheNewOneAlone() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let demo = try startDemo(eddy)
        try FileManager.default.moveItem(atPath: eddy.dataDir, toPath: eddy.workDirectory + "/moved-away")
        try FileManager.default.createDirectory(atPath: eddy.dataDir, withIntermediateDirectories: false)
        let stopped = exitsByItself(demo, within: Self.limit)
        if !stopped { _ = stopTime(demo) }
        #expect(
            stopped, "still running \(Self.limit) s after its data directory was replaced\n\(demo.stderr)")
        #expect(demo.process.terminationStatus != 0)
        #expect(demo.stderr.contains("data directory \(eddy.dataDir) was replaced"), "\(demo.stderr)")
        // Nothing of the old process lands in the directory that took the name.
        let written = try FileManager.default.subpathsOfDirectory(atPath: eddy.dataDir)
        #expect(written.isEmpty, "written into the replacement: \(written)")
    }

    @Test func runAndConsumeStopOnSIGTERMAfterTheirDirectoryIsRemoved() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let produced = try eddy.run(["simulate", "motion", "2000", "--seed", "1", "--to", "motion"])
        #expect(produced.status == 0, "\(produced.stderr)")
        let run = try RunningEddy(eddy, ["run", "retail", "--format", "json"])
        let consume = try RunningEddy(eddy, ["consume", "motion", "--from-beginning"])
        Thread.sleep(forTimeInterval: 3)
        #expect(run.process.isRunning, "\(run.stderr)")
        #expect(consume.process.isRunning, "\(consume.stderr)")
        try FileManager.default.removeItem(atPath: eddy.dataDir)
        Thread.sleep(forTimeInterval: 1)
        for (name, process) in [("run", run), ("consume", consume)] {
            let elapsed = stopTime(process)
            #expect(elapsed < Self.limit, "\(name) took \(elapsed) s\n\(process.stderr)")
        }
    }
}

/// A read-only directory (for a process that is not root: root writes anyway) and a full disk (a small tmpfs
/// mounted over the data directory). Both need root to set up, so they are skipped with the reason otherwise.
@Suite(
    .serialized,
    .enabled(
        if: TmpfsMount.available, "needs root, setpriv and tmpfs mounts (the test command runs as root in CI)"
    ))
struct StopOnFailingDiskTests {
    /// Whether the process stops within the limit: by itself (with an error naming the directory) or after
    /// SIGTERM.
    private func expectStops(_ demo: RunningEddy, naming directory: String) {
        let started = Date()
        if demo.process.isRunning { _ = Glibc.kill(demo.process.processIdentifier, SIGTERM) }
        while demo.process.isRunning && Date().timeIntervalSince(started) < 30 { usleep(20_000) }
        let elapsed = Date().timeIntervalSince(started)
        demo.kill(SIGKILL)
        #expect(elapsed < StopTests.limit, "took \(elapsed) s\n\(demo.stderr)")
        if demo.process.terminationStatus != 0 {
            let last = demo.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.hasPrefix("error: ") && last.contains(directory), "\(demo.stderr)")
        }
    }

    @Test func demoStopsWhenItsDirectoryTurnsReadOnly() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        try FileManager.default.createDirectory(atPath: eddy.dataDir, withIntermediateDirectories: true)
        #expect(TmpfsMount.shell(["chown", "-R", "nobody:nogroup", eddy.workDirectory]))
        // Run as nobody: the permission bits bind it, as they would any user's process.
        let demo = try RunningEddy(
            eddy,
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", EddyBinary.path]
                + ["demo", "--port", "0", "--kafka-port", "0"], executable: "/usr/bin/env")
        #expect(demo.waitFor(seconds: 120) { $0.contains("dashboard at http://") }, "\(demo.stderr)")
        Thread.sleep(forTimeInterval: 3)
        #expect(TmpfsMount.shell(["chmod", "-R", "a-w", eddy.dataDir]))
        Thread.sleep(forTimeInterval: 3)
        expectStops(demo, naming: eddy.dataDir)
        _ = TmpfsMount.shell(["chmod", "-R", "u+w", eddy.dataDir])
    }

    @Test func demoStopsWhenItsDiskIsFull() throws {
        let eddy = try EddyBinary()
        let mount = try TmpfsMount(at: eddy.dataDir, megabytes: 64)
        defer {
            mount.unmount()
            eddy.cleanUp()
        }
        let (demo, _) = try RunningEddy.demo(eddy)
        Thread.sleep(forTimeInterval: 2)
        mount.fill()
        Thread.sleep(forTimeInterval: 3)
        expectStops(demo, naming: eddy.dataDir)
        if demo.process.terminationStatus != 0 {
            #expect(
                demo.stderr.contains("No space left on device") || demo.stderr.contains("disk is full"),
                "\(demo.stderr)")
        }
    }
}

/// A size-limited tmpfs mounted at a path for one test.
struct TmpfsMount {
    let path: String

    static let available: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            return false
        }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-tmpfs-probe-\(getpid())"
        )
        .path
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard
            (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true))
                != nil,
            shell(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe])
        else { return false }
        _ = shell(["umount", probe])
        return true
    }()

    init(at path: String, megabytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.shell(["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]) else {
            throw MountError(description: "could not mount a tmpfs at \(path)")
        }
    }

    /// Fills the filesystem: writes a file until the disk refuses.
    func fill() {
        _ = Self.shell(["dd", "if=/dev/zero", "of=\(path)/filler", "bs=1M", "status=none"])
    }

    func unmount() {
        _ = Self.shell(["umount", "-l", path])
    }

    struct MountError: Error, CustomStringConvertible { var description: String }

    @discardableResult
    static func shell(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
