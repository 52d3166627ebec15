import Testing

@testable import EddyLog

@Suite struct PartitionerTests {
    /// Values from Kafka's own `UtilsTest.testMurmur2` (and the same values from kafka-python's murmur2).
    @Test func murmur2MatchesKafka() {
        #expect(Murmur2.hash(bytes("21")) == -973_932_308)
        #expect(Murmur2.hash(bytes("foobar")) == -790_332_482)
        #expect(Murmur2.hash(bytes("a-little-bit-long-string")) == -985_981_536)
        #expect(Murmur2.hash(bytes("a-little-bit-longer-string")) == -1_486_304_829)
        #expect(Murmur2.hash(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")) == -58_897_971)
        #expect(Murmur2.hash(bytes("abc")) == 479_470_107)
    }

    /// Produced with kafka-python 2.x (`pip install kafka-python` in .build/venv):
    /// `h = kafka.partitioner.default.murmur2(bytearray(key))` (as signed int32) and kafka-python's
    /// DefaultPartitioner rule `(h & 0x7fffffff) % n` for n in (1, 2, 3, 7, 12).
    static let kafkaPythonVectors: [(key: [UInt8], hash: Int32, partitions: [Int])] = [
        (bytes(""), 275_646_681, [0, 1, 0, 2, 9]),
        (bytes("a"), -1_563_381_124, [0, 0, 1, 5, 4]),
        (bytes("ab"), 316_155_434, [0, 0, 2, 0, 2]),
        (bytes("abc"), 479_470_107, [0, 1, 0, 4, 3]),
        (bytes("Caixa"), -1_391_904_478, [0, 0, 1, 3, 10]),
        (bytes("Entrada"), -940_760_649, [0, 1, 2, 6, 11]),
        (bytes("Corredor_A"), -201_075_337, [0, 1, 1, 1, 7]),
        (bytes("Cliente_5678"), -2_023_062_630, [0, 0, 2, 1, 2]),
        (bytes("SM-123AB"), 369_760_666, [0, 0, 1, 2, 10]),
        (bytes("ação"), 1_010_978_653, [0, 1, 1, 6, 1]),
        (Array(0..<37), 74_000_851, [0, 1, 1, 1, 7]),
    ]

    @Test func partitionsMatchKafkaPython() {
        for vector in Self.kafkaPythonVectors {
            #expect(Murmur2.hash(vector.key) == vector.hash, "murmur2 of \(vector.key)")
            for (n, expected) in zip([1, 2, 3, 7, 12], vector.partitions) {
                #expect(Partitioner.partition(forKey: vector.key, partitions: n) == expected)
            }
        }
    }

    @Test func keylessRecordsOfOneCallStickTogetherAndCallsRotate() {
        let partitioner = Partitioner()
        let records = (0..<10).map { record("v\($0)") }
        var seen: [Int] = []
        for _ in 0..<6 {
            let routes = partitioner.route(records, partitions: 3)
            #expect(routes.count == 1)
            #expect(routes[0].indices == Array(0..<10))
            seen.append(routes[0].partition)
        }
        #expect(Set(seen) == [0, 1, 2])
    }

    @Test func keyedRecordsKeepOrderPerPartition() {
        let partitioner = Partitioner()
        let keys = ["Caixa", "Entrada", "Corredor_A", "Caixa", "Entrada"]
        let routes = partitioner.route(keys.map { record("x", key: $0) }, partitions: 3)
        for (partition, indices) in routes {
            #expect(indices == indices.sorted())
            for i in indices {
                #expect(Partitioner.partition(forKey: bytes(keys[i]), partitions: 3) == partition)
            }
        }
        #expect(routes.reduce(0) { $0 + $1.indices.count } == keys.count)
    }
}
