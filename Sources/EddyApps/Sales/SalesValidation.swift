public import EddyStream

/// The rules an order must pass before it counts in the sales totals. A failing order goes to the
/// dead-letter topic with the first problem found as its reason, and the pipeline goes on.
///
/// ```swift
/// SalesValidation.problem(in: row)   // "product 2 (Mouse): quantity 0 is not positive"
/// ```
public enum SalesValidation {
    /// The rule set's identity in checkpoints; change it when a rule changes meaning.
    public static let version = "sales-orders-v1"

    /// The rules of ``problem(in:)`` on a scanned order's slots (fields as in ``SalesOrder/schema``), without
    /// decoding it: true when the order passes. False means "ask ``problem(in:)``", which gives the reason.
    ///
    /// ```swift
    /// pipeline.validate(SalesValidation.version, SalesValidation.problem(in:), fastCheck: SalesValidation.passes)
    /// ```
    public static func passes(_ order: ScannedRecord) -> Bool {
        guard let products = order.elements(Field.products), products.count > 0 else { return false }
        var sum: Int64 = 0
        for i in 0..<products.count {
            let item = products[i]
            guard item.withStringBytes(Field.productName, { $0.count > 0 }) == true,
                let quantity = item.int(Field.quantity), quantity > 0,
                let price = item.decimal(Field.price), price.units > 0, price.scale == 2
            else { return false }
            let (line, overflow) = price.units.multipliedReportingOverflow(by: quantity)
            guard !overflow else { return false }
            let (total, over) = sum.addingReportingOverflow(line)
            guard !over else { return false }
            sum = total
        }
        guard let total = order.decimal(Field.totalValue), total.scale == 2, total.units == sum else {
            return false
        }
        return order.timestamp(Field.saleDatetime) != nil
    }

    /// Field positions in ``SalesOrder/schema`` and ``SalesOrder/product``, looked up once.
    private enum Field {
        static let products = SalesOrder.schema.index(of: "products")!
        static let totalValue = SalesOrder.schema.index(of: "total_value")!
        static let saleDatetime = SalesOrder.schema.index(of: "sale_datetime")!
        static let productName = SalesOrder.product.firstIndex { $0.name == "product_name" }!
        static let quantity = SalesOrder.product.firstIndex { $0.name == "quantity" }!
        static let price = SalesOrder.product.firstIndex { $0.name == "price" }!
    }

    /// Why `order` must not be counted, or nil when it is valid.
    public static func problem(in order: RowAccess) -> String? {
        guard case .array(let products) = order["products"] else {
            return "products is missing or not a list"
        }
        guard !products.isEmpty else { return "products is empty" }
        var sum = DecimalValue(units: 0, scale: 2)
        for (index, item) in products.enumerated() {
            let label = "product \(index + 1)"
            guard case .object(let fields) = item else { return "\(label) is not an object" }
            guard case .string(let name)? = fields["product_name"], !name.isEmpty else {
                return "\(label) has no product_name"
            }
            let named = "\(label) (\(name))"
            guard case .int(let quantity)? = fields["quantity"] else {
                return "\(named): quantity is missing or not an integer"
            }
            guard quantity > 0 else { return "\(named): quantity \(quantity) is not positive" }
            guard case .decimal(let price)? = fields["price"] else {
                return "\(named): price is missing or not a number"
            }
            guard price.units > 0 else { return "\(named): price \(price) is not positive" }
            let (line, overflow) = price.units.multipliedReportingOverflow(by: quantity)
            guard !overflow else { return "\(named): quantity × price overflows" }
            sum = sum + DecimalValue(units: line, scale: price.scale)
        }
        guard case .decimal(let total) = order["total_value"] else {
            return "total_value is missing or not a number"
        }
        guard total == sum else {
            return
                "total_value \(total) differs from Σ quantity × price = \(sum.rescaledForDisplay(total.scale))"
        }
        guard order.timestamp("sale_datetime") != nil else {
            return "sale_datetime is missing or not an ISO-8601 date-time"
        }
        return nil
    }
}

extension DecimalValue {
    fileprivate func rescaledForDisplay(_ scale: Int) -> DecimalValue {
        scale > self.scale ? rescaled(to: scale) : self
    }
}
