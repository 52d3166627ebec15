import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15, item 4's connection-level half, against a running `eddy demo`: oversized headers, query strings
/// and bodies get a status (400, 413) rather than a crash or a 500; a client sending a byte every half second
/// and thousands of idle connections do not stop the server answering others, and memory stays bounded.
@Suite(.enabled(if: systemPython != nil, "needs python3 on PATH"))
struct HostileConnectionsTests {
    /// How many idle connections to hold; the figure the issue names.
    static let idleConnections = 10_000
    /// What the idle connections may add to the server's resident memory.
    static let memoryBoundMB = 256

    @Test func oversizedInputSlowClientsAndIdleConnections() throws {
        let python = try #require(systemPython)
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let (demo, url) = try RunningEddy.demo(eddy)
        defer { demo.kill(SIGTERM) }
        let port = try #require(url.split(separator: ":").last?.prefix { $0.isNumber })
        let output = try runPython(
            python,
            Self.script.replacingOccurrences(of: "PORT", with: String(port))
                .replacingOccurrences(of: "PID", with: String(demo.process.processIdentifier))
                .replacingOccurrences(of: "IDLE", with: String(Self.idleConnections)))
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        #expect(results["bigHeader"] as? Int == 400, "\(results)")
        #expect(results["bigQuery"] as? Int == 400, "\(results)")
        #expect(results["manyHeaders"] as? Int == 400, "\(results)")
        #expect(results["bigBody"] as? Int == 413, "\(results)")
        #expect(results["bigBodyIsJSON"] as? Bool == true, "\(results)")
        #expect(results["answeredDuringSlowClient"] as? Int == 20, "\(results)")
        let held = results["idleHeld"] as? Int ?? 0
        #expect(held >= min(Self.idleConnections, (results["fileLimit"] as? Int ?? 0) - 500), "\(results)")
        #expect(results["answeredWithIdle"] as? Int == 20, "\(results)")
        let growth = (results["rssAfterKB"] as? Int ?? 0) - (results["rssBeforeKB"] as? Int ?? 0)
        #expect(
            growth < Self.memoryBoundMB * 1024, "RSS grew \(growth / 1024) MB holding \(held): \(results)")
        #expect(demo.process.isRunning, "\(demo.stderr)")
        print("HostileConnectionsTests: \(results)")
    }

    static let script = #"""
        import json, resource, socket, threading, time
        port, pid, idle = PORT, PID, IDLE
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

        def status(raw):
            s = socket.create_connection(('127.0.0.1', port), timeout=10)
            s.sendall(raw)
            data = b''
            try:
                while b'\r\n\r\n' not in data or len(data) < 512:
                    chunk = s.recv(4096)
                    if not chunk: break
                    data += chunk
            except socket.timeout:
                pass
            s.close()
            return int(data.split(b' ')[1]) if data.startswith(b'HTTP/1.1 ') else 0, data

        def health():
            code, _ = status(b'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
            return code == 200

        def rss():
            for line in open(f'/proc/{pid}/status'):
                if line.startswith('VmRSS:'): return int(line.split()[1])
            return 0

        out = {'fileLimit': hard}
        out['bigHeader'] = status(b'GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 200_000 + b'\r\n\r\n')[0]
        out['bigQuery'] = status(b'GET /api/retail/areas?top=' + b'1' * 200_000 + b' HTTP/1.1\r\nHost: x\r\n\r\n')[0]
        out['manyHeaders'] = status(b'GET /health HTTP/1.1\r\nHost: x\r\n'
                                    + b''.join(b'X-%d: a\r\n' % i for i in range(5000)) + b'\r\n')[0]
        code, data = status(b'POST /api/users/u1/likes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                            b'Content-Length: 1000000\r\nConnection: close\r\n\r\n' + b'{"a":' + b' ' * 999_000)
        out['bigBody'] = code
        out['bigBodyIsJSON'] = b'"error"' in data

        # A client dribbling a request a byte at a time while others ask.
        stop = threading.Event()
        def dribble():
            s = socket.create_connection(('127.0.0.1', port))
            for byte in b'GET /health HTTP/1.1\r\nHost: x\r\n' * 10:
                if stop.is_set(): break
                s.send(bytes([byte])); time.sleep(0.5)
            s.close()
        thread = threading.Thread(target=dribble); thread.start()
        time.sleep(1)
        out['answeredDuringSlowClient'] = sum(health() for _ in range(20))
        stop.set(); thread.join()

        # Idle connections: opened, never written to.
        time.sleep(1)
        out['rssBeforeKB'] = rss()
        held = []
        try:
            for i in range(min(idle, hard - 500)):
                held.append(socket.create_connection(('127.0.0.1', port), timeout=30))
                if i % 500 == 499: time.sleep(0.2)  # a crowd arriving, not a SYN flood
        except OSError as error:
            out['idleError'] = str(error)
        out['idleHeld'] = len(held)
        time.sleep(5)
        started = time.time()
        out['answeredWithIdle'] = sum(health() for _ in range(20))
        out['secondsFor20WithIdle'] = round(time.time() - started, 3)
        out['rssAfterKB'] = rss()
        for s in held: s.close()
        print(json.dumps(out))
        """#
}

/// `python3` on PATH (the system's; these checks need no packages).
let systemPython: String? = {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(directory)/python3"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}()
