import EddyLog
import EddyStream
import Hummingbird
import Metrics
import NIOCore
import Prometheus

extension EddyServer {
    func addSystemRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in
            var json = JSONWriter(capacity: 128)
            json.object {
                $0.field("status") { $0.string("ok") }
                $0.field("pipelines") { $0.int(pipelines.count) }
                $0.field("failedPipelines") {
                    $0.int(pipelines.filter { $0.state == .failed }.count)
                }
            }
            return Response.json(json.bytes)
        }

        router.get("/openapi.json") { _, _ in
            Response.json(openAPIDocument)
        }

        router.get("/metrics") { _, _ in
            refreshGauges()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            EddyMetrics.registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }

    /// Pipeline and topic figures are read from their owners at scrape time, so they are never stale and
    /// nothing polls in the background.
    func refreshGauges() {
        for pipeline in pipelines {
            let status = pipeline.status()
            let name = pipeline.name
            Gauge(label: "eddy_pipeline_records_per_second", dimensions: [("pipeline", name)])
                .record(status.recordsPerSecond)
            Gauge(label: "eddy_pipeline_dead_letters", dimensions: [("pipeline", name)]).record(
                status.deadLetters)
            Gauge(label: "eddy_pipeline_late_records", dimensions: [("pipeline", name)]).record(
                status.lateRecords)
            Gauge(label: "eddy_pipeline_records_in", dimensions: [("pipeline", name)]).record(
                status.recordsIn)
            Gauge(label: "eddy_pipeline_up", dimensions: [("pipeline", name)])
                .record(status.state == .running ? 1 : 0)
            if let age = status.checkpointAgeSeconds {
                Gauge(label: "eddy_pipeline_checkpoint_age_seconds", dimensions: [("pipeline", name)]).record(
                    age)
            }
            for partition in status.partitions {
                Gauge(
                    label: "eddy_pipeline_lag",
                    dimensions: [
                        ("pipeline", name), ("topic", partition.topic),
                        ("partition", String(partition.partition)),
                    ]
                ).record(partition.lag)
            }
            for table in pipeline.tables {
                Gauge(label: "eddy_table_rows", dimensions: [("pipeline", name), ("table", table.name)])
                    .record(table.rowCount)
            }
        }
        guard let log, let names = try? log.topicNames() else { return }
        for name in names {
            guard let topic = try? log.describeTopic(name) else { continue }
            for partition in topic.partitions {
                let dimensions = [("topic", name), ("partition", String(partition.partition))]
                Gauge(label: "eddy_topic_end_offset", dimensions: dimensions).record(partition.endOffset)
                Gauge(label: "eddy_topic_bytes", dimensions: dimensions).record(partition.bytes)
            }
        }
    }
}
