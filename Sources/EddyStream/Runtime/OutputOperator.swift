/// The running form of one output: its stateless steps, its aggregation state (if any), and its batch counter.
final class OutputOperator {
    let plan: OutputPlan
    let aggregation: AggregationOperator?
    /// Rows of a stateless output waiting for the end of the batch.
    private var pending: [Row] = []
    var nextBatchId: Int64 = 0
    var rowsOut: Int64 = 0
    var lateRows: Int64 = 0
    /// Late rows waiting to be published (bounded by the batch).
    var lateToPublish: [Row] = []
    var publishLateRows = false

    init(plan: OutputPlan) {
        self.plan = plan
        self.aggregation = plan.aggregation.map {
            AggregationOperator(plan: $0, tracksChanges: plan.table.mode == .update)
        }
    }

    var table: TableDescription { plan.table }
    var pendingCount: Int { pending.count }

    func process(_ row: Row) {
        plan.pre.apply(row) { out in
            if let aggregation {
                aggregation.process(out) { late in
                    lateRows += 1
                    if publishLateRows { lateToPublish.append(late) }
                }
            } else {
                pending.append(out)
            }
        }
    }

    /// The rows this batch emits, after the post-aggregation steps, sort and limit.
    func finishBatch() -> [Row] {
        var rows: [Row]
        if let aggregation {
            rows = aggregation.finishBatch(mode: plan.table.mode)
        } else {
            rows = pending
            pending.removeAll(keepingCapacity: false)
        }
        if !plan.post.isEmpty {
            var out: [Row] = []
            out.reserveCapacity(rows.count)
            for row in rows { plan.post.apply(row) { out.append($0) } }
            rows = out
        }
        if !plan.order.isEmpty {
            let order = plan.order
            rows.sort { a, b in
                for (i, descending) in order {
                    let c = Value.compare(a[i], b[i])
                    if c != 0 { return descending ? c > 0 : c < 0 }
                }
                return false
            }
        }
        if let limit = plan.limit, rows.count > limit { rows.removeLast(rows.count - limit) }
        return rows
    }

    var stateRows: Int { (aggregation?.stateRows ?? 0) + pending.count }
}
