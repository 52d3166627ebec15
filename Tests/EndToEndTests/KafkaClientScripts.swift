/// The Python programs the Kafka client tests run against `eddy broker` (kafka-python, confluent-kafka,
/// aiokafka from `.build/venv`). Each prints `OK …` on success and exits non-zero with a reason otherwise.
enum KafkaClientScripts {
    /// argv: bootstrap topic codec count. Creates a 6-partition topic, produces keyed records with headers
    /// and timestamps (acks=all, idempotent, murmur2 partitioner like Java's), reads them all back from the
    /// beginning, and compares every field; checks each key's partition against murmur2.
    static let confluentRoundTrip = #"""
        import sys, json
        from confluent_kafka import Producer, Consumer, KafkaException
        from confluent_kafka.admin import AdminClient, NewTopic
        from kafka.partitioner.default import murmur2

        bootstrap, topic, codec, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        admin = AdminClient({'bootstrap.servers': bootstrap})
        for f in admin.create_topics([NewTopic(topic, num_partitions=6, replication_factor=1)]).values():
            f.result()
        producer = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'compression.type': codec,
                             'linger.ms': 5, 'enable.idempotence': True, 'partitioner': 'murmur2_random'})
        sent = {}
        errors = []
        def delivered(err, msg):
            if err is not None:
                errors.append(str(err))
            else:
                # Delivery reports carry no headers: rebuild the ones sent from the value.
                headers = (('h', str(json.loads(msg.value())['i']).encode()),)
                sent[(msg.partition(), msg.offset())] = (msg.key(), msg.value(), headers, msg.timestamp()[1])
        for i in range(n):
            key = f'key-{i % 97}'.encode()
            value = json.dumps({'i': i, 'pad': 'x' * (i % 50)}).encode()
            producer.produce(topic, key=key, value=value, headers=[('h', str(i).encode())],
                             timestamp=1_700_000_000_000 + i, on_delivery=delivered)
            if i % 1000 == 0:
                producer.poll(0)
        producer.flush(30)
        if errors or len(sent) != n:
            sys.exit(f'produce failed: {len(sent)} of {n} delivered, errors {errors[:3]}')
        for (partition, _), (key, _, _, _) in sent.items():
            expected = (murmur2(key) & 0x7fffffff) % 6
            if partition != expected:
                sys.exit(f'key {key} went to partition {partition}, murmur2 says {expected}')
        consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': f'check-{topic}',
                             'auto.offset.reset': 'earliest', 'enable.auto.commit': False})
        consumer.subscribe([topic])
        got = {}
        idle = 0
        while len(got) < n and idle < 100:
            msgs = consumer.consume(1000, timeout=0.2)
            idle = 0 if msgs else idle + 1
            for m in msgs:
                if m.error():
                    raise KafkaException(m.error())
                if (m.partition(), m.offset()) in got:
                    sys.exit(f'duplicate {(m.partition(), m.offset())}')
                got[(m.partition(), m.offset())] = (m.key(), m.value(), tuple(m.headers() or []), m.timestamp()[1])
        consumer.close()
        if got != sent:
            missing = set(sent) - set(got)
            differ = [k for k in sent if k in got and got[k] != sent[k]][:3]
            sys.exit(f'consumed {len(got)} of {n}; missing {len(missing)}; differing {differ}')
        print(f'OK {n} records, codec {codec}')
        """#

    /// argv: bootstrap topic count group. kafka-python: create the topic, produce with gzip and acks=all,
    /// consume in a group, commit, and print the committed total.
    static let kafkaPythonRoundTrip = #"""
        import sys
        from kafka import KafkaProducer, KafkaConsumer, KafkaAdminClient
        from kafka.admin import NewTopic
        from kafka.partitioner.default import murmur2

        bootstrap, topic, n, group = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        admin.create_topics([NewTopic(topic, num_partitions=6, replication_factor=1)])
        admin.close()
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', compression_type='gzip', linger_ms=5)
        futures = [(i, producer.send(topic, key=f'k{i % 31}'.encode(), value=f'value {i}'.encode(),
                                     headers=[('n', str(i).encode())])) for i in range(n)]
        producer.flush()
        for i, f in futures:
            meta = f.get(timeout=10)
            expected = (murmur2(f'k{i % 31}'.encode()) & 0x7fffffff) % 6
            if meta.partition != expected:
                sys.exit(f'record {i} in partition {meta.partition}, murmur2 says {expected}')
        producer.close()
        consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                                 enable_auto_commit=False, consumer_timeout_ms=5000)
        values = set()
        for m in consumer:
            values.add(m.value)
            if dict(m.headers)['n'] != m.value.split(b' ')[1]:
                sys.exit('header mismatch')
            if len(values) == n:
                break
        consumer.commit()
        consumer.close()
        if values != {f'value {i}'.encode() for i in range(n)}:
            sys.exit(f'consumed {len(values)} distinct of {n}')
        print(f'OK {n} records')
        """#

    /// argv: bootstrap topic count. aiokafka: produce (lz4 needs an extra package, so none) and consume.
    static let aiokafkaRoundTrip = #"""
        import sys, asyncio
        from aiokafka import AIOKafkaProducer, AIOKafkaConsumer

        async def main(bootstrap, topic, n):
            producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks='all', compression_type='gzip')
            await producer.start()
            try:
                batch = [producer.send(topic, key=f'k{i}'.encode(), value=f'v{i}'.encode()) for i in range(n)]
                for f in batch:
                    await (await f)
            finally:
                await producer.stop()
            consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id='aio',
                                        auto_offset_reset='earliest')
            await consumer.start()
            seen = set()
            try:
                while len(seen) < n:
                    batches = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), 20)
                    for tp, msgs in batches.items():
                        for m in msgs:
                            seen.add(m.value)
                await consumer.commit()
            finally:
                await consumer.stop()
            if seen != {f'v{i}'.encode() for i in range(n)}:
                sys.exit(f'consumed {len(seen)} of {n}')
            print(f'OK {n} records')

        asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
        """#

    /// argv: bootstrap topic count. Three confluent-kafka consumers in one group share the 6 partitions;
    /// each commits after every record; the third leaves after a while and the other two take over. Every
    /// record is committed exactly once (none lost, none committed twice), and the takeover is timed.
    static let groupTakeover = #"""
        import sys, threading, time
        from confluent_kafka import Consumer, KafkaException

        bootstrap, topic, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
        lock = threading.Lock()
        processed = []
        assigned = {}
        left_at = [None]
        takeover = [None]
        stop = threading.Event()

        def run(name, leave_after):
            def on_assign(c, partitions):
                with lock:
                    assigned[name] = sorted(p.partition for p in partitions)
                    if left_at[0] is not None and takeover[0] is None and name != 'c2':
                        covered = sorted(sum((assigned.get(x, []) for x in ('c0', 'c1')), []))
                        if covered == list(range(6)):
                            takeover[0] = time.monotonic() - left_at[0]
            consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'takeover', 'auto.offset.reset': 'earliest',
                                 'enable.auto.commit': False, 'session.timeout.ms': 6000,
                                 'heartbeat.interval.ms': 100, 'partition.assignment.strategy': 'range'})
            consumer.subscribe([topic], on_assign=on_assign)
            count = 0
            while not stop.is_set():
                m = consumer.poll(0.05)
                if m is None or m.error():
                    continue
                try:
                    consumer.commit(message=m, asynchronous=False)
                except KafkaException:
                    continue  # not committed (the group moved on): its next owner processes it again
                with lock:
                    processed.append((m.partition(), m.offset()))
                count += 1
                if leave_after is not None and count >= leave_after:
                    break
            if leave_after is not None:
                with lock:
                    left_at[0] = time.monotonic()
            consumer.close()

        threads = [threading.Thread(target=run, args=(f'c{i}', n // 10 if i == 2 else None)) for i in range(3)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if len(processed) >= n:
                    break
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        if len(processed) != n or len(set(processed)) != n:
            sys.exit(f'processed {len(processed)} ({len(set(processed))} distinct) of {n}')
        print(f'OK {n} records once each; takeover after leave {takeover[0]} s')
        """#

    /// argv: broker proxy-port topic count. An idempotent confluent-kafka producer talks to the broker
    /// through a proxy on proxy-port (the broker advertises it) that cuts every connection every 50 ms;
    /// the test then checks that every record was stored exactly once.
    static let idempotentThroughCuts = #"""
        import sys, socket, threading, time
        from confluent_kafka import Producer, Consumer

        bootstrap, proxy_port, topic, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        host, port = bootstrap.split(':')
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('127.0.0.1', proxy_port))
        listener.listen(16)
        live = []
        def pump(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data:
                        break
                    b.sendall(data)
            except OSError:
                pass
            for s in (a, b):
                try: s.close()
                except OSError: pass
        def accept():
            while True:
                try:
                    client, _ = listener.accept()
                except OSError:
                    return
                upstream = socket.create_connection((host, int(port)))
                live.append((client, upstream))
                threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
                threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        threading.Thread(target=accept, daemon=True).start()
        cutting = threading.Event()
        cuts = [0]
        def cutter():
            while not cutting.is_set():
                time.sleep(0.05)
                while live:
                    c, u = live.pop()
                    for s in (c, u):
                        try: s.shutdown(socket.SHUT_RDWR)
                        except OSError: pass
                    cuts[0] += 1
        threading.Thread(target=cutter, daemon=True).start()
        producer = Producer({'bootstrap.servers': f'127.0.0.1:{proxy_port}', 'enable.idempotence': True, 'acks': 'all',
                             'linger.ms': 2, 'message.timeout.ms': 60000, 'retry.backoff.ms': 10})
        errors = []
        for i in range(n):
            producer.produce(topic, key=str(i).encode(), value=f'v{i}'.encode(),
                             on_delivery=lambda err, msg: err and errors.append(str(err)))
            if i % 100 == 0:
                producer.poll(0)
                time.sleep(0.002)
        producer.flush(60)
        cutting.set()
        if errors:
            sys.exit(f'{len(errors)} delivery errors, e.g. {errors[:2]}')
        print(f'OK produced {n} through {cuts[0]} cut connections')
        """#
}
