import Testing

@testable import EddyStream

/// The seeds' documents decode to the values their Spark jobs would see.
@Suite("JSON seed documents")
struct JSONSeedDocumentTests {
    /// Seed 002's example reading, as the notebook prints it (multi-line).
    static let motionReading = """
        {
          "timestamp": "2024-08-23T15:22:16.968007Z",
          "id_sensor": "SM-123AB",
          "location": "Corredor A",
          "customer_id": "Cliente_5678",
          "movement_detected": true,
          "duration": 152.34,
          "traffic_count": 4
        }
        """

    static let motionSchema: Schema = [
        Column("timestamp", .timestamp), Column("id_sensor", .string), Column("location", .string),
        Column("customer_id", .string), Column("movement_detected", .bool), Column("duration", .double),
        Column("traffic_count", .int),
    ]

    @Test func motionReadingDecodes() throws {
        let row = try JSONRowDecoder(schema: Self.motionSchema).decode(Self.motionReading).get()
        #expect(
            row == [
                .timestamp(1_724_426_536_968_007), .string("SM-123AB"), .string("Corredor A"),
                .string("Cliente_5678"), .bool(true), .double(152.34), .int(4),
            ])
    }

    @Test func motionReadingWithTheNotebooksStringTimestamp() throws {
        // The notebook declares timestamp as StringType: the text comes through unchanged.
        let schema: Schema = [Column("timestamp", .string), Column("duration", .double)]
        let row = try JSONRowDecoder(schema: schema).decode(Self.motionReading).get()
        #expect(row == [.string("2024-08-23T15:22:16.968007Z"), .double(152.34)])
    }

    static let order = """
        {"order_id": "0b7f9a4e-3c1d-4e5f-8a9b-1c2d3e4f5a6b", "client_document": "12345678901", \
        "products": [{"product_name": "Notebook", "quantity": 2, "price": 3499.90}, \
        {"product_name": "Mouse", "quantity": 1, "price": 89.5}], \
        "total_value": 7089.30, "sale_datetime": "2024-10-05T14:30:00"}
        """

    static let orderSchema: Schema = [
        Column("order_id", .string), Column("client_document", .string),
        Column(
            "products",
            .array(
                .object([
                    Column("product_name", .string), Column("quantity", .int),
                    Column("price", .decimal(scale: 2)),
                ]))),
        Column("total_value", .decimal(scale: 2)), Column("sale_datetime", .timestamp),
    ]

    @Test func orderWithProductsDecodes() throws {
        let row = try JSONRowDecoder(schema: Self.orderSchema).decode(Self.order).get()
        #expect(row[0] == .string("0b7f9a4e-3c1d-4e5f-8a9b-1c2d3e4f5a6b"))
        #expect(row[1] == .string("12345678901"))
        #expect(
            row[2]
                == .array([
                    .object([
                        "product_name": .string("Notebook"), "quantity": .int(2),
                        "price": .decimal(DecimalValue(units: 349_990, scale: 2)),
                    ]),
                    .object([
                        "product_name": .string("Mouse"), "quantity": .int(1),
                        "price": .decimal(DecimalValue(units: 8950, scale: 2)),
                    ]),
                ]))
        #expect(row[3] == .decimal(DecimalValue(units: 708_930, scale: 2)))
        #expect(row[4] == .timestamp(micros(2024, 10, 5, 14, 30)))
    }

    @Test func orderExplodesThroughTheScannerWithoutMaterialising() {
        // What the sales pipeline does per order: Σ quantity × price per product, exactly.
        let scanner = JSONScanner(schema: Self.orderSchema)
        var record = ScannedRecord(schema: Self.orderSchema)
        var totals: [String: DecimalValue] = [:]
        for _ in 0..<3 {  // reuse the record: results must not leak between scans
            Array(Self.order.utf8).withUnsafeBytes { bytes in
                #expect(scanner.scan(bytes, into: &record) == nil)
                for i in 0..<(record.count(2) ?? 0) {
                    let product = record.element(2, i)
                    guard let name = product.string(0), let quantity = product.int(1),
                        let price = product.decimal(2)
                    else { continue }
                    totals[name, default: DecimalValue(units: 0, scale: 2)] =
                        totals[name, default: DecimalValue(units: 0, scale: 2)]
                        + DecimalValue(units: quantity, scale: 0) * price
                }
            }
        }
        #expect(totals["Notebook"] == DecimalValue(units: 2_099_940, scale: 2))
        #expect(totals["Mouse"] == DecimalValue(units: 26_850, scale: 2))
    }

    @Test func recordReuseAcrossDocumentsOfDifferentShapes() {
        let scanner = JSONScanner(schema: Self.orderSchema)
        var record = scanner.makeRecord()
        let big = Array(Self.order.utf8)
        let small = Array(#"{"order_id": "x\ty", "products": []}"#.utf8)
        for round in 0..<50 {
            let bytes = round % 3 == 0 ? small : big
            bytes.withUnsafeBytes { buffer in
                #expect(scanner.scan(buffer, into: &record) == nil)
                if round % 3 == 0 {
                    #expect(record.string(0) == "x\ty")
                    #expect(record.count(2) == 0)
                    #expect(record.isNull(3))
                } else {
                    #expect(record.count(2) == 2)
                    #expect(record.element(2, 1).string(0) == "Mouse")
                }
            }
        }
        // A record made for an equal schema elsewhere is accepted too.
        var other = ScannedRecord(schema: Self.orderSchema)
        big.withUnsafeBytes { #expect(scanner.scan($0, into: &other) == nil) }
        #expect(other.count(2) == 2)
    }

    @Test func schemaIndexLookup() {
        #expect(Self.motionSchema.index(of: "duration") == 5)
        #expect(Self.motionSchema.index(of: "nope") == nil)
        #expect(Self.motionSchema["location"]?.type == .string)
        #expect(Self.motionSchema.count == 7)
    }
}

@Suite("Schema")
struct SchemaTests {
    @Test func describesItselfLikeSpark() {
        #expect(
            JSONSeedDocumentTests.orderSchema.description
                == "struct<order_id:string,client_document:string,"
                + "products:array<struct<product_name:string,quantity:bigint,price:decimal(18,2)>>,"
                + "total_value:decimal(18,2),sale_datetime:timestamp>")
        #expect(
            Schema([Column("ok", .bool), Column("at", .double)]).description == "struct<ok:boolean,at:double>"
        )
    }
}

@Suite("JSON large documents")
struct JSONLargeDocumentTests {
    @Test func buffersGrowAndShrinkBackCorrectly() {
        let schema: Schema = [
            Column("ids", .array(.int)),
            Column("items", .array(.object([Column("name", .string), Column("tags", .array(.string))]))),
        ]
        let scanner = JSONScanner(schema: schema)
        var record = scanner.makeRecord()
        var json = #"{"ids": ["#
        json += (0..<50_000).map(String.init).joined(separator: ",")
        json += #"], "items": ["#
        json += (0..<5_000).map { i in #"{"name": "item\t\#(i)", "tags": ["a\u00e9", "\#(i)"]}"# }.joined(
            separator: ", ")
        json += "]}"
        let small = #"{"ids": [7], "items": [{"name": "x"}]}"#
        for _ in 0..<2 {
            Array(json.utf8).withUnsafeBytes { bytes in
                #expect(scanner.scan(bytes, into: &record) == nil)
                #expect(record.count(0) == 50_000)
                #expect(record.element(0, 49_999).int(0) == 49_999)
                #expect(record.count(1) == 5_000)
                let item = record.element(1, 4_321)
                #expect(item.string(0) == "item\t4321")
                #expect(item.count(1) == 2)
                #expect(item.element(1, 0).string(0) == "aé")
                #expect(item.element(1, 1).string(0) == "4321")
            }
            Array(small.utf8).withUnsafeBytes { bytes in
                #expect(scanner.scan(bytes, into: &record) == nil)
                #expect(
                    record.row() == [
                        .array([.int(7)]), .array([.object(["name": .string("x"), "tags": .null])]),
                    ])
            }
        }
    }
}

@Suite("JSONRowDecoder sharing")
struct JSONRowDecoderSharingTests {
    @Test func oneDecoderManyTasks() async {
        let decoder = JSONRowDecoder(schema: JSONSeedDocumentTests.orderSchema)
        let expected = try? decoder.decode(JSONSeedDocumentTests.order).get()
        #expect(expected != nil)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var bad = 0
                    for i in 0..<300 {
                        // Interleave a different document so a shared buffer mix-up would show.
                        if (task + i) % 3 == 0 {
                            if case .success = decoder.decode(#"{"order_id": "x\\u0041", "products": [{}]}"#)
                            {
                            } else {
                                bad += 1
                            }
                        }
                        if (try? decoder.decode(JSONSeedDocumentTests.order).get()) != expected { bad += 1 }
                    }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
