import Metrics
public import Prometheus
import Synchronization

/// The process's Prometheus registry behind swift-metrics: everything recorded with swift-metrics (engine,
/// log, server) is exported at `GET /metrics`.
///
/// ```swift
/// EddyMetrics.bootstrap()                       // once, at startup; later calls do nothing
/// Counter(label: "eddy_records_in_total").increment()
/// let text = EddyMetrics.registry.emitToString()
/// ```
public enum EddyMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Installs the Prometheus factory as the metrics backend. `MetricsSystem.bootstrap` may run only once per
    /// process, so this guards it (tests build many servers).
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}
