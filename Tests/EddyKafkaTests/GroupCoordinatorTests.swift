import EddyLog
import Logging
import NIOCore
import Testing

@testable import EddyKafka

/// The classic group protocol: generations, leader, assignments, leave and rejoin, fencing, and offsets
/// that land in the log's consumer-group store.
@Suite struct GroupCoordinatorTests {
    func joinRequest(_ memberId: String = "", group: String = "g") -> JoinGroupRequest {
        var request = JoinGroupRequest()
        request.groupId = group
        request.memberId = memberId
        request.sessionTimeoutMs = 600_000
        // Long, so that finishing well before it shows the rebalance ended when every member rejoined, not
        // when the timeout expired (a loaded CI machine can take seconds to schedule the tasks).
        request.rebalanceTimeoutMs = 300_000
        request.protocolType = "consumer"
        var proto = JoinGroupRequest.SupportedProtocol()
        proto.name = "range"
        proto.metadata = ByteBuffer(string: "subscription")
        request.protocols = [proto]
        return request
    }

    func commitRequest(generation: Int32, member: String, offset: Int64) -> OffsetCommitRequest {
        var request = OffsetCommitRequest()
        request.groupId = "g"
        request.generationId = generation
        request.memberId = member
        var partition = OffsetCommitRequest.Partition()
        partition.partitionIndex = 0
        partition.committedOffset = offset
        var topic = OffsetCommitRequest.Topic()
        topic.name = "motion"
        topic.partitions = [partition]
        request.topics = [topic]
        return request
    }

    @Test func threeMembersFormAGenerationThenOneLeaves() async throws {
        let log = MemoryLog()
        try log.createTopic("motion", config: TopicConfig(partitions: 6))
        let coordinator = GroupCoordinator(
            store: log.consumerGroups, initialRebalanceDelay: .milliseconds(50), logger: Logger(label: "test")
        )
        let sweeper = Task { await coordinator.sweepForever() }
        defer { sweeper.cancel() }

        let joined = await withTaskGroup(of: JoinGroupResponse.self) { group in
            for i in 0..<3 {
                group.addTask { await coordinator.join(joinRequest(), clientId: "c\(i)", clientHost: "h") }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(joined.allSatisfy { $0.errorCode == 0 })
        #expect(Set(joined.map(\.generationId)).count == 1, "one generation for all three")
        let generation = joined[0].generationId
        let leader = try #require(joined.first { $0.memberId == $0.leader })
        #expect(leader.members.count == 3)
        #expect(joined.filter { $0.memberId != $0.leader }.allSatisfy { $0.members.isEmpty })

        // The followers wait in SyncGroup until the leader hands in the assignments.
        let followers = joined.filter { $0.memberId != $0.leader }.map(\.memberId)
        async let followerSyncs = withTaskGroup(of: (String, SyncGroupResponse).self) { group in
            for member in followers {
                group.addTask {
                    var sync = SyncGroupRequest()
                    sync.groupId = "g"
                    sync.generationId = generation
                    sync.memberId = member
                    return (member, await coordinator.sync(sync))
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        try await Task.sleep(for: .milliseconds(50))
        var leaderSync = SyncGroupRequest()
        leaderSync.groupId = "g"
        leaderSync.generationId = generation
        leaderSync.memberId = leader.memberId
        leaderSync.assignments = joined.map { member in
            var assignment = SyncGroupRequest.Assignment()
            assignment.memberId = member.memberId
            assignment.assignment = ByteBuffer(string: "for \(member.memberId)")
            return assignment
        }
        let leaderAssignment = await coordinator.sync(leaderSync)
        #expect(leaderAssignment.assignment == ByteBuffer(string: "for \(leader.memberId)"))
        let synced = await followerSyncs
        for member in followers {
            #expect(synced[member]?.assignment == ByteBuffer(string: "for \(member)"))
        }

        // A commit in the generation is stored where `eddy groups describe` reads it.
        let committed = await coordinator.commit(
            commitRequest(generation: generation, member: leader.memberId, offset: 5), log: log)
        #expect(committed.topics.first?.partitions.first?.errorCode == 0)
        #expect(try log.consumerGroups.committed(group: "g", topic: "motion") == [0: 5])

        // One follower leaves: the others are told to rejoin, and a stale generation is fenced.
        var leave = LeaveGroupRequest()
        leave.groupId = "g"
        leave.memberId = followers[0]
        #expect(await coordinator.leave(leave, version: 2).errorCode == 0)
        var heartbeat = HeartbeatRequest()
        heartbeat.groupId = "g"
        heartbeat.generationId = generation
        heartbeat.memberId = leader.memberId
        #expect(await coordinator.heartbeat(heartbeat).errorCode == ErrorCode.rebalanceInProgress.rawValue)
        let started = ContinuousClock.now
        let rejoined = await withTaskGroup(of: JoinGroupResponse.self) { group in
            for member in [leader.memberId, followers[1]] {
                group.addTask { await coordinator.join(joinRequest(member), clientId: "c", clientHost: "h") }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(ContinuousClock.now - started < .seconds(290), "ended by the rejoins, not the 300 s timeout")
        #expect(rejoined.allSatisfy { $0.errorCode == 0 && $0.generationId == generation + 1 })
        #expect(rejoined.first { $0.memberId == $0.leader }?.members.count == 2)
        let stale = await coordinator.commit(
            commitRequest(generation: generation, member: leader.memberId, offset: 9), log: log)
        #expect(stale.topics.first?.partitions.first?.errorCode == ErrorCode.illegalGeneration.rawValue)
        #expect(try log.consumerGroups.committed(group: "g", topic: "motion") == [0: 5])
        let gone = await coordinator.commit(
            commitRequest(generation: generation + 1, member: followers[0], offset: 9), log: log)
        #expect(gone.topics.first?.partitions.first?.errorCode == ErrorCode.unknownMemberId.rawValue)
    }

    @Test func aMemberWhoseSessionExpiresIsRemoved() async throws {
        let log = MemoryLog()
        let coordinator = GroupCoordinator(
            store: log.consumerGroups, initialRebalanceDelay: .zero, logger: Logger(label: "test"))
        var request = joinRequest()
        request.sessionTimeoutMs = 1000
        let joined = await coordinator.join(request, clientId: "c", clientHost: "h")
        #expect(joined.errorCode == 0)
        try await Task.sleep(for: .milliseconds(1100))
        await coordinator.sweep()
        var heartbeat = HeartbeatRequest()
        heartbeat.groupId = "g"
        heartbeat.generationId = joined.generationId
        heartbeat.memberId = joined.memberId
        #expect(await coordinator.heartbeat(heartbeat).errorCode == ErrorCode.unknownMemberId.rawValue)
    }

    @Test func standaloneCommitsAndOffsetFetch() async throws {
        let log = MemoryLog()
        try log.createTopic("motion", config: TopicConfig(partitions: 2))
        // Offsets committed by Eddy's own tools are what a Kafka client fetches.
        try log.consumerGroups.commit(group: "g", offsets: [TopicPartition("motion", 1): 17])
        let coordinator = GroupCoordinator(
            store: log.consumerGroups, initialRebalanceDelay: .zero, logger: Logger(label: "test"))
        let committed = await coordinator.commit(
            commitRequest(generation: -1, member: "", offset: 3), log: log)
        #expect(committed.topics.first?.partitions.first?.errorCode == 0)
        var fetch = OffsetFetchRequest()
        fetch.groupId = "g"
        fetch.topics = nil
        let fetched = await coordinator.fetchOffsets(fetch, log: log)
        #expect(fetched.topics.first?.partitions.map(\.committedOffset) == [3, 17])
        let listed = await coordinator.list()
        #expect(listed.groups.map(\.groupId) == ["g"])
    }
}
