import CoreMetrics
import Metrics

/// The engine's swift-metrics instruments for one pipeline (dimension `pipeline`), exported by whatever
/// metrics backend the process bootstraps (the server's Prometheus endpoint).
///
/// Names: `eddy_pipeline_records_in_total`, `eddy_pipeline_records_out_total`,
/// `eddy_pipeline_dead_letters_total`, `eddy_pipeline_late_rows_total`, `eddy_pipeline_batch_duration_seconds`,
/// `eddy_pipeline_lag_records` (also per `partition`), `eddy_pipeline_state_rows`, `eddy_pipeline_state_bytes`
/// (estimated), `eddy_pipeline_checkpoint_bytes` (the last checkpoint), `eddy_pipeline_checkpoint_bytes_total`.
struct PipelineMetrics {
    let recordsIn: Counter
    let recordsOut: Counter
    let deadLetters: Counter
    let lateRows: Counter
    let batchDuration: Timer
    let stateRows: Gauge
    let stateBytes: Gauge
    let checkpointBytes: Gauge
    let checkpointBytesTotal: Counter
    let totalLag: Gauge
    let partitionLag: [Int: Gauge]

    init(pipeline: String, partitions: [Int]) {
        let dims = [("pipeline", pipeline)]
        recordsIn = Counter(label: "eddy_pipeline_records_in_total", dimensions: dims)
        recordsOut = Counter(label: "eddy_pipeline_records_out_total", dimensions: dims)
        deadLetters = Counter(label: "eddy_pipeline_dead_letters_total", dimensions: dims)
        lateRows = Counter(label: "eddy_pipeline_late_rows_total", dimensions: dims)
        batchDuration = Timer(label: "eddy_pipeline_batch_duration_seconds", dimensions: dims)
        stateRows = Gauge(label: "eddy_pipeline_state_rows", dimensions: dims)
        stateBytes = Gauge(label: "eddy_pipeline_state_bytes", dimensions: dims)
        checkpointBytes = Gauge(label: "eddy_pipeline_checkpoint_bytes", dimensions: dims)
        checkpointBytesTotal = Counter(label: "eddy_pipeline_checkpoint_bytes_total", dimensions: dims)
        totalLag = Gauge(label: "eddy_pipeline_lag_records", dimensions: dims)
        var lags: [Int: Gauge] = [:]
        for p in partitions {
            lags[p] = Gauge(
                label: "eddy_pipeline_partition_lag_records", dimensions: dims + [("partition", String(p))])
        }
        partitionLag = lags
    }
}
