import Foundation
import Testing

/// `eddy broker --kafka-sasl plain|scram-sha-256` with confluent-kafka (librdkafka 2.16) and Debian's kcat
/// (librdkafka 2.0): the right password produces, consumes and commits; a wrong one and a client without
/// SASL are refused. Skipped without `.build/venv` (scripts/test installs it).
@Suite(
    .enabled(
        if: KafkaClients.available,
        "needs .build/venv with kafka-python, confluent-kafka, aiokafka (scripts/test installs them)"),
    .serialized)
struct KafkaSASLTests {
    static let password = "s3cret,with=odd:chars"

    @Test(arguments: [("plain", "PLAIN"), ("scram-sha-256", "SCRAM-SHA-256")])
    func confluentKafkaAndKcatAuthenticate(flag: String, mechanism: String) throws {
        let users = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-sasl-users-\(UUID().uuidString)"
        ).path
        try "# test users\nalice:\(Self.password)\nbob:other\n".write(
            toFile: users, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: users) }
        try KafkaClients.withBroker(extra: ["--kafka-sasl", flag, "--kafka-sasl-users", users]) {
            eddy, bootstrap in
            let result = try KafkaClients.python(
                Self.script, [bootstrap, mechanism, "alice", Self.password, "not-" + Self.password])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("OK 500"), "\(result.stdout)")
            // Offsets the authenticated group committed are Eddy's group offsets.
            let described = try eddy.run(["groups", "describe", "secure-group"])
            #expect(described.stdout.contains("secure"), "\(described.stdout)\(described.stderr)")
            // Debian's kcat links librdkafka 2.0.2, whose SCRAM client repeats its nonce in the final message
            // (Kafka accepts that, and so does Eddy).
            if let kcat = KafkaClients.kcat {
                let sasl = [
                    "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=\(mechanism)",
                    "-X", "sasl.username=alice",
                ]
                let listed = try KafkaClients.run(
                    kcat, ["-b", bootstrap] + sasl + ["-X", "sasl.password=\(Self.password)", "-L"])
                #expect(listed.status == 0, "\(listed.stderr)")
                #expect(listed.stdout.contains("topic \"secure\" with 1 partitions"), "\(listed.stdout)")
                let consumed = try KafkaClients.run(
                    kcat,
                    ["-b", bootstrap] + sasl + [
                        "-X", "sasl.password=\(Self.password)", "-C", "-t", "secure", "-o", "beginning", "-c",
                        "3",
                        "-e",
                    ])
                #expect(consumed.stdout == "v0\nv1\nv2\n", "\(consumed.stdout)\(consumed.stderr)")
                let refused = try KafkaClients.run(
                    kcat,
                    ["-b", bootstrap] + sasl + ["-X", "sasl.password=wrong", "-L", "-m", "3"])
                #expect(refused.status != 0, "\(refused.stdout)")
            }
        }
    }

    @Test func saslFlagsAreCheckedWithOneLineErrors() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        expectOneLineError(
            try eddy.run(["broker", "--kafka-port", "0", "--kafka-sasl", "gssapi"]),
            containing: ["--kafka-sasl"])
        expectOneLineError(
            try eddy.run(["broker", "--kafka-port", "0", "--kafka-sasl", "plain"]),
            containing: ["--kafka-sasl-users", "EDDY_KAFKA_SASL_USERS"])
        expectOneLineError(
            try eddy.run([
                "broker", "--kafka-port", "0", "--kafka-sasl", "plain", "--kafka-sasl-users",
                "/nonexistent/users",
            ]),
            containing: ["/nonexistent/users"])
    }

    /// Produce 500 records, consume them in a group that commits, then a wrong password and a client
    /// without SASL must fail with an authentication error rather than be served.
    static let script = #"""
        import sys, time
        from confluent_kafka import Consumer, KafkaException, Producer
        from confluent_kafka.admin import AdminClient, NewTopic

        bootstrap, mechanism, user, password, wrong = sys.argv[1:6]
        common = {'bootstrap.servers': bootstrap, 'security.protocol': 'SASL_PLAINTEXT',
                  'sasl.mechanism': mechanism, 'sasl.username': user, 'sasl.password': password}
        admin = AdminClient(common)
        for f in admin.create_topics([NewTopic('secure', num_partitions=1, replication_factor=1)]).values():
            f.result(20)
        p = Producer(dict(common, acks='all'))
        for i in range(500):
            p.produce('secure', f'v{i}'.encode())
        if p.flush(20):
            sys.exit('records left undelivered')
        c = Consumer(dict(common, **{'group.id': 'secure-group', 'auto.offset.reset': 'earliest',
                                     'enable.auto.commit': False}))
        c.subscribe(['secure'])
        got = []
        deadline = time.time() + 30
        while len(got) < 500 and time.time() < deadline:
            m = c.poll(0.5)
            if m is not None and not m.error():
                got.append(m.value().decode())
        c.commit(asynchronous=False)
        c.close()
        if got != [f'v{i}' for i in range(500)]:
            sys.exit(f'consumed {len(got)} records, not the 500 produced in order')

        def refused(config):
            # list_topics raises when the client cannot get metadata: authentication failed or refused.
            try:
                AdminClient(config).list_topics(timeout=4)
                return False
            except KafkaException:
                return True

        if not refused(dict(common, **{'sasl.password': wrong})):
            sys.exit('a wrong password was served')
        if not refused({'bootstrap.servers': bootstrap}):
            sys.exit('a client without SASL was served')
        print(f'OK {len(got)}')
        """#
}
