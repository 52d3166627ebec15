public import EddyLog

/// Simulated e-commerce orders in the shape of seed 003's producer, one JSON object per line:
///
/// ```json
/// {"order_id": "6f1c9d2e-…", "client_document": "52998224725", "products": [{"product_name":
///  "Livro Sapiens", "quantity": 2, "price": 59.90}], "total_value": 119.80,
///  "sale_datetime": "2024-08-23T15:22:16.968007Z"}
/// ```
///
/// `order_id` is a version-4 UUID drawn from the simulator's generator; `client_document` is an 11-digit
/// CPF with valid check digits; an order holds one to five distinct products, each with a quantity of one
/// to five at its catalogue price; `total_value` is Σ quantity × price computed in integer centavos, so it
/// matches the items to the cent. Records are keyed by `client_document` (a client's orders stay in order).
///
/// ```swift
/// var simulator = SalesSimulator(seed: 42)
/// let order = simulator.next().value
/// ```
public struct SalesSimulator: Simulator {
    public static let itemsPerOrder = 1...5
    public static let quantities = 1...5

    public var catalogue: ProductCatalogue
    private var random: SimulationRandom
    private var clock: SimulationClock

    public init(seed: UInt64?, catalogue: ProductCatalogue = .standard, clock: SimulationClock? = nil) {
        self.catalogue = catalogue
        self.random = SimulationRandom(seed: seed)
        self.clock = clock ?? .forRun(seed: seed, rate: nil)
    }

    public mutating func next() -> ProducerRecord {
        let document = Self.cpf(random: &random)
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(512)
        SimulationJSON.key("order_id", into: &out)
        out.append(UInt8(ascii: "\""))
        uuid(into: &out)
        out.append(UInt8(ascii: "\""))
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("client_document", into: &out)
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: document)
        out.append(UInt8(ascii: "\""))
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("products", into: &out)
        out.append(UInt8(ascii: "["))
        let itemCount = min(random.int(in: Self.itemsPerOrder), catalogue.products.count)
        var chosen = Set<Int>()
        var totalCents = 0
        while chosen.count < itemCount {
            let index = random.int(in: 0...(catalogue.products.count - 1))
            guard chosen.insert(index).inserted else { continue }
            let product = catalogue.products[index]
            let quantity = random.int(in: Self.quantities)
            totalCents += quantity * product.priceCents
            if chosen.count > 1 { SimulationJSON.separator(into: &out) }
            out.append(UInt8(ascii: "{"))
            SimulationJSON.key("product_name", into: &out)
            SimulationJSON.string(product.name, into: &out)
            SimulationJSON.separator(into: &out)
            SimulationJSON.key("quantity", into: &out)
            SimulationJSON.int(quantity, into: &out)
            SimulationJSON.separator(into: &out)
            SimulationJSON.key("price", into: &out)
            SimulationJSON.hundredths(product.priceCents, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("total_value", into: &out)
        SimulationJSON.hundredths(totalCents, into: &out)
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("sale_datetime", into: &out)
        out.append(UInt8(ascii: "\""))
        SimulationJSON.timestamp(micros: clock.nextMicros(random: &random), into: &out)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: "}"))
        return ProducerRecord(key: document, value: out)
    }

    /// A random UUID, version 4, variant 1, in lowercase 8-4-4-4-12 form.
    private mutating func uuid(into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        var high = random.next()
        var low = random.next()
        high = (high & ~0xF000) | 0x4000  // version nibble: 4
        low = (low & ~(0xC << 60)) | (0x8 << 60)  // variant bits: 10
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            let word = i < 16 ? high : low
            let shift = UInt64(60 - 4 * (i % 16))
            out.append(hex[Int((word >> shift) & 0xF)])
        }
    }

    /// Eleven CPF digits: nine random ones and the two check digits of the Receita Federal's rule.
    static func cpf(random: inout SimulationRandom) -> [UInt8] {
        var digits = (0..<9).map { _ in random.int(in: 0...9) }
        for length in [9, 10] {
            var sum = 0
            for (i, d) in digits.prefix(length).enumerated() { sum += d * (length + 1 - i) }
            let rest = sum % 11
            digits.append(rest < 2 ? 0 : 11 - rest)
        }
        return digits.map { UInt8(ascii: "0") + UInt8($0) }
    }
}
