/// The source of `eddy bench kafka`'s client: one C program on librdkafka, compiled at bench time
/// (`cc … -lrdkafka`), so the same client drives every broker and the client's own cost stays small next
/// to the broker's (a Python loop calling `produce()` per record tops out near a few hundred thousand
/// records/s on this machine).
enum KafkaDriverSource {
    static let text = #"""
        /* eddy bench kafka's client: one librdkafka program, the same for every broker.
         *
         *   driver BOOTSTRAP RECORDS SIZE RATE SECONDS
         *
         * Phases, each printing "RESULT name=value ..." as it ends (or "FAIL phase: reason" and exit 1):
         *   produce   RECORDS x SIZE bytes to bench/0, acks=all, linger.ms=5, batches of up to 1000; then the
         *             partition's end offset ("stored"), which a correct broker makes equal to RECORDS;
         *   fetch     all stored records from offset 0 with one consumer;
         *   latency   RATE records/s for 1 + SECONDS s to latency/0 (linger.ms=0, acks=all, Nagle off as in the
         *             Java client) while a consumer
         *             thread of this process measures produce -> consume from a monotonic timestamp in each
         *             value; the first second is warm-up, not counted;
         *   rebalance a group of 3 subscribes to a 6-partition topic; once all hold partitions, one closes
         *             (LeaveGroup) and the time until the other two hold all 6 is measured.
         *
         * DRIVER_DEBUG=broker,protocol (any librdkafka `debug` value) in the environment turns on its debug log.
         */
        #include <librdkafka/rdkafka.h>
        #include <pthread.h>
        #include <stdatomic.h>
        #include <stdint.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>
        #include <unistd.h>

        static const char *bootstrap;

        static int64_t now_ns(void) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
        }

        static void fail(const char *phase, const char *reason) {
            printf("FAIL %s: %s\n", phase, reason);
            fflush(stdout);
            exit(1);
        }

        static rd_kafka_conf_t *config(const char *phase, const char **pairs) {
            char error[512];
            rd_kafka_conf_t *conf = rd_kafka_conf_new();
            if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, error, sizeof error) != RD_KAFKA_CONF_OK)
                fail(phase, error);
            if (getenv("DRIVER_DEBUG")) rd_kafka_conf_set(conf, "debug", getenv("DRIVER_DEBUG"), error, sizeof error);
            for (; pairs && pairs[0]; pairs += 2)
                if (rd_kafka_conf_set(conf, pairs[0], pairs[1], error, sizeof error) != RD_KAFKA_CONF_OK)
                    fail(phase, error);
            return conf;
        }

        static rd_kafka_t *client(const char *phase, rd_kafka_type_t type, rd_kafka_conf_t *conf) {
            char error[512];
            rd_kafka_t *rk = rd_kafka_new(type, conf, error, sizeof error);
            if (!rk) fail(phase, error);
            if (type == RD_KAFKA_CONSUMER) rd_kafka_poll_set_consumer(rk);
            return rk;
        }

        static void create_topic(const char *name, int partitions) {
            char error[512];
            rd_kafka_t *rk = client("create topics", RD_KAFKA_PRODUCER, config("create topics", NULL));
            rd_kafka_NewTopic_t *topic = rd_kafka_NewTopic_new(name, partitions, 1, error, sizeof error);
            if (!topic) fail("create topics", error);
            rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
            rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
            rd_kafka_AdminOptions_set_operation_timeout(options, 10000, error, sizeof error);
            rd_kafka_CreateTopics(rk, &topic, 1, options, queue);
            rd_kafka_event_t *event = rd_kafka_queue_poll(queue, 20000);
            if (!event) fail("create topics", "no answer to CreateTopics within 20 s");
            if (rd_kafka_event_error(event)) fail("create topics", rd_kafka_event_error_string(event));
            size_t count;
            const rd_kafka_topic_result_t **results =
                rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
            for (size_t i = 0; i < count; i++) {
                rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
                if (err && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                    snprintf(error, sizeof error, "topic %s: %s", name, rd_kafka_err2str(err));
                    fail("create topics", error);
                }
            }
            rd_kafka_event_destroy(event);
            rd_kafka_AdminOptions_destroy(options);
            rd_kafka_NewTopic_destroy(topic);
            rd_kafka_queue_destroy(queue);
            rd_kafka_destroy(rk);
        }

        /* The end offset of topic/0, asked until it equals `expected` or 5 s pass (a broker's high watermark
         * may trail its acknowledgements briefly). */
        static int64_t end_offset(rd_kafka_t *rk, const char *topic, int64_t expected) {
            int64_t low = -1, high = -1;
            for (int attempt = 0; attempt < 20; attempt++) {
                if (rd_kafka_query_watermark_offsets(rk, topic, 0, &low, &high, 10000) == 0 && high == expected)
                    break;
                usleep(250000);
            }
            return high;
        }

        static atomic_long delivery_failures;

        static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
            (void)rk, (void)opaque;
            if (message->err) atomic_fetch_add(&delivery_failures, 1);
        }

        static long produce_phase(long records, int size) {
            const char *settings[] = {"acks", "all", "linger.ms", "5", "batch.num.messages", "1000",
                                      "batch.size", "1000000", "queue.buffering.max.messages", "2000000",
                                      "queue.buffering.max.kbytes", "2097151", "enable.idempotence", "false",
                                      NULL};
            rd_kafka_conf_t *conf = config("produce", settings);
            rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
            rd_kafka_t *rk = client("produce", RD_KAFKA_PRODUCER, conf);
            rd_kafka_topic_t *topic = rd_kafka_topic_new(rk, "bench", NULL);
            char *value = malloc(size);
            memset(value, 'x', size);
            /* Connections and metadata before the clock starts. */
            if (end_offset(rk, "bench", 0) != 0) fail("produce", "the bench topic is not empty before producing");
            int64_t start = now_ns();
            for (long i = 0; i < records; i++) {
                while (rd_kafka_produce(topic, 0, RD_KAFKA_MSG_F_COPY, value, size, NULL, 0, NULL) == -1) {
                    if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        fail("produce", rd_kafka_err2str(rd_kafka_last_error()));
                    rd_kafka_poll(rk, 1);
                }
                if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
            }
            if (rd_kafka_flush(rk, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR) fail("produce", "flush timed out after 120 s");
            double seconds = (now_ns() - start) / 1e9;
            char reason[256];
            if (atomic_load(&delivery_failures)) {
                snprintf(reason, sizeof reason, "%ld of %ld records were not delivered", atomic_load(&delivery_failures),
                         records);
                fail("produce", reason);
            }
            /* A broker that stores fewer records than it acknowledged is reported, not hidden: the fetch phase
             * then reads what is there. */
            int64_t high = end_offset(rk, "bench", records);
            printf("RESULT produce=%.0f stored=%lld\n", records / seconds, (long long)high);
            fflush(stdout);
            free(value);
            rd_kafka_topic_destroy(topic);
            rd_kafka_destroy(rk);
            return (long)high;
        }

        static rd_kafka_t *assigned_consumer(const char *phase, const char *group, const char **settings,
                                             const char *topic) {
            rd_kafka_conf_t *conf = config(phase, settings);
            char error[512];
            rd_kafka_conf_set(conf, "group.id", group, error, sizeof error);
            rd_kafka_t *rk = client(phase, RD_KAFKA_CONSUMER, conf);
            rd_kafka_topic_partition_list_t *partitions = rd_kafka_topic_partition_list_new(1);
            rd_kafka_topic_partition_list_add(partitions, topic, 0)->offset = 0;
            if (rd_kafka_assign(rk, partitions)) fail(phase, "assign failed");
            rd_kafka_topic_partition_list_destroy(partitions);
            return rk;
        }

        static void fetch_phase(long records) {
            const char *settings[] = {"enable.auto.commit", "false", "fetch.max.bytes", "52428800",
                                      "max.partition.fetch.bytes", "10485760", "fetch.wait.max.ms", "100",
                                      "queued.max.messages.kbytes", "262144", NULL};
            rd_kafka_t *rk = assigned_consumer("fetch", "bench-fetch", settings, "bench");
            rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(rk);
            rd_kafka_message_t *batch[10000];
            long got = 0, first_batch = 0;
            int64_t start = now_ns(), deadline = start + 120000000000LL, first = 0;
            while (got < records && now_ns() < deadline) {
                ssize_t n = rd_kafka_consume_batch_queue(queue, 1000, batch, 10000);
                for (ssize_t i = 0; i < n; i++) {
                    if (!batch[i]->err) got++;
                    rd_kafka_message_destroy(batch[i]);
                }
                /* Like kafka-consumer-perf-test's fetch.nMsg.sec, the rate leaves out connecting, finding the
                   partition's leader and the first answer: it counts what arrives after the first batch. */
                if (first == 0 && got > 0) {
                    first = now_ns();
                    first_batch = got;
                }
            }
            int64_t end = now_ns();
            if (got < records) {
                char reason[128];
                snprintf(reason, sizeof reason, "fetched %ld of %ld records in 120 s", got, records);
                fail("fetch", reason);
            }
            double streaming = (end - first) / 1e9;
            printf("RESULT fetch=%.0f first=%.3f fetch_total=%.0f\n",
                   streaming > 0 ? (records - first_batch) / streaming : 0, (first - start) / 1e9,
                   records / ((end - start) / 1e9));
            fflush(stdout);
            rd_kafka_queue_destroy(queue);
            rd_kafka_consumer_close(rk);
            rd_kafka_destroy(rk);
        }

        struct latency_run {
            long expected, warmup;
            int64_t *samples;
            atomic_long count;
            atomic_int ready;
        };

        static void *latency_consumer(void *argument) {
            struct latency_run *run = argument;
            /* As the Java client always does: no Nagle delay on small requests (librdkafka's default keeps it). */
            const char *settings[] = {"enable.auto.commit", "false", "fetch.wait.max.ms", "100", "fetch.min.bytes",
                                      "1", "socket.nagle.disable", "true", NULL};
            rd_kafka_t *rk = assigned_consumer("latency", "bench-latency", settings, "latency");
            int64_t deadline = 0;
            long seen = 0;
            while (seen < run->expected) {
                rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, 100);
                if (!atomic_load(&run->ready)) atomic_store(&run->ready, 1);
                if (!message) {
                    if (deadline == 0 && seen > 0) deadline = now_ns() + 30000000000LL;
                    if (deadline && now_ns() > deadline) break;
                    continue;
                }
                int64_t arrived = now_ns();
                if (!message->err && message->len >= 8) {
                    int64_t sent;
                    memcpy(&sent, message->payload, 8);
                    if (seen >= run->warmup) run->samples[atomic_fetch_add(&run->count, 1)] = arrived - sent;
                    seen++;
                }
                rd_kafka_message_destroy(message);
            }
            rd_kafka_consumer_close(rk);
            rd_kafka_destroy(rk);
            return NULL;
        }

        static int compare(const void *a, const void *b) {
            int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
            return (x > y) - (x < y);
        }

        static void latency_phase(long rate, int seconds, int size) {
            struct latency_run run = {.expected = rate * (seconds + 1), .warmup = rate};
            run.samples = calloc(run.expected, sizeof(int64_t));
            pthread_t thread;
            pthread_create(&thread, NULL, latency_consumer, &run);
            while (!atomic_load(&run.ready)) usleep(10000);
            usleep(1000000); /* the consumer's fetcher is up and waiting */
            const char *settings[] = {"acks", "all", "linger.ms", "0", "queue.buffering.max.messages", "1000000",
                                      "socket.nagle.disable", "true", NULL};
            rd_kafka_t *rk = client("latency", RD_KAFKA_PRODUCER, config("latency", settings));
            rd_kafka_topic_t *topic = rd_kafka_topic_new(rk, "latency", NULL);
            end_offset(rk, "latency", 0);
            char *value = calloc(size < 8 ? 8 : size, 1);
            int64_t start = now_ns();
            double interval = 1e9 / rate;
            for (long i = 0; i < run.expected; i++) {
                int64_t due = start + (int64_t)(i * interval), now = now_ns();
                if (due > now + 50000) {
                    struct timespec pause = {0, due - now};
                    nanosleep(&pause, NULL);
                }
                int64_t stamp = now_ns();
                memcpy(value, &stamp, 8);
                while (rd_kafka_produce(topic, 0, RD_KAFKA_MSG_F_COPY, value, size, NULL, 0, NULL) == -1)
                    rd_kafka_poll(rk, 1);
                if (i % 100 == 0) rd_kafka_poll(rk, 0);
            }
            double sent = run.expected / ((now_ns() - start) / 1e9);
            rd_kafka_flush(rk, 30000);
            pthread_join(thread, NULL);
            long count = atomic_load(&run.count);
            if (count < run.expected - run.warmup) {
                char reason[128];
                snprintf(reason, sizeof reason, "the consumer received %ld of %ld timed records", count,
                         run.expected - run.warmup);
                fail("latency", reason);
            }
            qsort(run.samples, count, sizeof(int64_t), compare);
            printf("RESULT p50=%.3f p99=%.3f max=%.3f samples=%ld sent_rate=%.0f\n", run.samples[count / 2] / 1e6,
                   run.samples[(long)(count * 0.99)] / 1e6, run.samples[count - 1] / 1e6, count, sent);
            fflush(stdout);
            free(value);
            free(run.samples);
            rd_kafka_topic_destroy(topic);
            rd_kafka_destroy(rk);
        }

        static atomic_int held[3];
        static atomic_int leave[3];
        static atomic_int stopped[3];

        static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions,
                                 void *opaque) {
            int member = (int)(intptr_t)opaque;
            if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                rd_kafka_assign(rk, partitions);
                atomic_store(&held[member], partitions->cnt);
            } else {
                rd_kafka_assign(rk, NULL);
                atomic_store(&held[member], 0);
            }
        }

        static void *group_member(void *argument) {
            int member = (int)(intptr_t)argument;
            const char *settings[] = {"group.id", "bench-rebalance", "session.timeout.ms", "10000",
                                      "heartbeat.interval.ms", "100", "enable.auto.commit", "false",
                                      "partition.assignment.strategy", "range", NULL};
            rd_kafka_conf_t *conf = config("rebalance", settings);
            rd_kafka_conf_set_opaque(conf, (void *)(intptr_t)member);
            rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
            rd_kafka_t *rk = client("rebalance", RD_KAFKA_CONSUMER, conf);
            rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
            rd_kafka_topic_partition_list_add(topics, "group", RD_KAFKA_PARTITION_UA);
            rd_kafka_subscribe(rk, topics);
            rd_kafka_topic_partition_list_destroy(topics);
            while (!atomic_load(&leave[member])) {
                rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, 10);
                if (message) rd_kafka_message_destroy(message);
            }
            rd_kafka_consumer_close(rk);
            rd_kafka_destroy(rk);
            atomic_store(&stopped[member], 1);
            return NULL;
        }

        static void rebalance_phase(void) {
            create_topic("group", 6);
            pthread_t threads[3];
            int64_t start = now_ns();
            for (int m = 0; m < 3; m++) pthread_create(&threads[m], NULL, group_member, (void *)(intptr_t)m);
            int64_t deadline = start + 60000000000LL;
            while (!(atomic_load(&held[0]) > 0 && atomic_load(&held[1]) > 0 && atomic_load(&held[2]) > 0 &&
                     atomic_load(&held[0]) + atomic_load(&held[1]) + atomic_load(&held[2]) == 6)) {
                if (now_ns() > deadline) {
                    for (int m = 0; m < 3; m++) atomic_store(&leave[m], 1);
                    fail("rebalance", "the group of 3 did not share the 6 partitions within 60 s");
                }
                usleep(1000);
            }
            double formed = (now_ns() - start) / 1e9;
            usleep(500000);
            int64_t left = now_ns();
            atomic_store(&leave[2], 1);
            deadline = left + 60000000000LL;
            while (atomic_load(&held[0]) + atomic_load(&held[1]) != 6) {
                if (now_ns() > deadline) {
                    for (int m = 0; m < 3; m++) atomic_store(&leave[m], 1);
                    fail("rebalance", "the other two members did not take over within 60 s of the leave");
                }
                usleep(1000);
            }
            double rebalance = (now_ns() - left) / 1e9;
            for (int m = 0; m < 3; m++) atomic_store(&leave[m], 1);
            for (int m = 0; m < 3; m++) pthread_join(threads[m], NULL);
            printf("RESULT formed=%.3f rebalance=%.3f\n", formed, rebalance);
            fflush(stdout);
        }

        int main(int argc, char **argv) {
            if (argc != 6) {
                fprintf(stderr, "usage: %s BOOTSTRAP RECORDS SIZE RATE SECONDS\n", argv[0]);
                return 2;
            }
            bootstrap = argv[1];
            long records = atol(argv[2]), rate = atol(argv[4]);
            int size = atoi(argv[3]), seconds = atoi(argv[5]);
            printf("CLIENT librdkafka %s\n", rd_kafka_version_str());
            fflush(stdout);
            create_topic("bench", 1);
            create_topic("latency", 1);
            long stored = produce_phase(records, size);
            if (stored <= 0) fail("fetch", "nothing stored to fetch");
            fetch_phase(stored);
            latency_phase(rate, seconds, size);
            rebalance_phase();
            return 0;
        }
        """#
}
