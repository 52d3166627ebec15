import Foundation
import Testing

/// The seeds' own Kafka code, unchanged but for the bootstrap address, against `eddy serve`: seed 003's
/// kafka-python producer shape (`KafkaProducer(bootstrap_servers=…, value_serializer=lambda v:
/// json.dumps(v).encode())`) sends orders that the sales pipeline totals into SQLite, and a kafka-python
/// consumer loop reads the topic back. Skipped without `.build/venv` (scripts/test installs it).
@Suite(
    .enabled(
        if: KafkaClients.available,
        "needs .build/venv with kafka-python, confluent-kafka, aiokafka (scripts/test installs them)"),
    .serialized)
struct KafkaSeedProducerTests {
    @Test func seed003ProducerFeedsTheSalesTotalsOfEddyServe() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "ecommerce_sales", "--partitions", "3"]).status == 0)
        let kafkaPort = try KafkaClients.freePort()
        let (process, stdin, stdout) = try eddy.start([
            "serve", "--pipeline", "sales", "--port", "0", "--kafka-port", String(kafkaPort),
        ])
        defer {
            if process.isRunning {
                process.interrupt()
                process.waitUntilExit()
            }
            try? stdin.close()
        }
        // The first stdout line announces the HTTP server: by then the Kafka listener is starting too.
        let announced = firstLine(of: stdout)
        #expect(announced.contains("Eddy is serving"), "\(announced)")
        let result = try KafkaClients.python(
            Self.script, ["127.0.0.1:\(kafkaPort)", eddy.dataDir + "/sales.sqlite", "2000"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK totals"), "\(result.stdout)")
        #expect(result.stdout.contains("OK consumer loop read 2000 orders"), "\(result.stdout)")
    }

    /// Orders in seed 003's shape from a fixed catalogue, with the expected totals computed here in
    /// decimals; then the pipeline's SQLite table is polled until it holds every order, and compared.
    static let script = #"""
        import json, random, sqlite3, sys, time, uuid
        from decimal import Decimal
        from kafka import KafkaConsumer, KafkaProducer

        bootstrap, database, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
        deadline = time.time() + 60
        while True:
            try:
                # Seed 003's producer.py, but for the address.
                producer = KafkaProducer(bootstrap_servers=bootstrap,
                                         value_serializer=lambda v: json.dumps(v).encode())
                break
            except Exception:  # the listener is not up yet
                if time.time() > deadline:
                    raise
                time.sleep(0.2)

        catalogue = [("Livro Sapiens", "59.90"), ("Fone Bluetooth", "199.99"), ("Caneca", "25.50"),
                     ("Teclado", "149.00"), ("Mouse", "79.95"), ("Monitor 24", "899.01")]
        rng = random.Random(3)
        expected = {}
        ids = set()
        for i in range(n):
            products = []
            total = Decimal(0)
            for _ in range(rng.randint(1, 4)):
                name, price = rng.choice(catalogue)
                quantity = rng.randint(1, 5)
                products.append({"product_name": name, "quantity": quantity, "price": float(price)})
                line = Decimal(price) * quantity
                total += line
                e = expected.setdefault(name, [Decimal(0), 0, 0])
                e[0] += line
                e[1] += quantity
                e[2] += 1
            order_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            ids.add(order_id)
            producer.send("ecommerce_sales", {
                "order_id": order_id, "client_document": "52998224725", "products": products,
                "total_value": float(total),
                "sale_datetime": "2024-08-23T15:%02d:%02d.968007Z" % (i // 60 % 60, i % 60)})
        producer.flush()
        producer.close()

        deadline = time.time() + 90
        stored = {}
        while time.time() < deadline:
            try:
                db = sqlite3.connect(database, timeout=5)
                rows = db.execute("SELECT product_name, total_sales, units, orders FROM product_sales").fetchall()
                db.close()
                stored = {name: [Decimal(str(total)), units, orders] for name, total, units, orders in rows}
                if sum(v[2] for v in stored.values()) == sum(v[2] for v in expected.values()):
                    break
            except sqlite3.OperationalError:
                pass  # the sink has not created its table yet
            time.sleep(0.3)
        if stored != expected:
            sys.exit(f"totals differ:\n stored   {sorted(stored.items())}\n expected {sorted(expected.items())}")
        print(f"OK totals of {len(expected)} products over {n} orders")

        # A kafka-python consumer loop, as the seeds write one.
        consumer = KafkaConsumer("ecommerce_sales", bootstrap_servers=bootstrap, group_id="seed-loop",
                                 auto_offset_reset="earliest", consumer_timeout_ms=20000,
                                 value_deserializer=lambda m: json.loads(m.decode()))
        seen = set()
        for message in consumer:
            seen.add(message.value["order_id"])
            if len(seen) == n:
                break
        consumer.commit()
        consumer.close()
        if seen != ids:
            sys.exit(f"the consumer loop read {len(seen)} distinct orders of {n}")
        print(f"OK consumer loop read {len(seen)} orders")
        """#
}
