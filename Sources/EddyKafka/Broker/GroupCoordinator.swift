import EddyLog
import Foundation
import Logging
import NIOCore

/// Kafka's classic consumer-group protocol: members join, the coordinator picks a leader and a protocol
/// per generation, the leader's assignment is handed out in SyncGroup, heartbeats keep sessions alive.
///
/// States follow Kafka's `GroupCoordinator`: Empty → PreparingRebalance (members (re)join; completes
/// when every known member has joined, or at the rebalance timeout, dropping those that did not) →
/// CompletingRebalance (waiting for the leader's SyncGroup) → Stable. A join, a leave or an expired
/// session starts a new rebalance; requests carrying an old generation are fenced with
/// ILLEGAL_GENERATION; commits are accepted from the current generation while its members rejoin, so a
/// member can commit what it processed before giving its partitions up. Committed offsets are the log's ``ConsumerGroupStore`` offsets, shared with
/// `eddy consume --group` and `eddy groups describe`.
actor GroupCoordinator {
    enum State: String {
        case empty = "Empty"
        case preparingRebalance = "PreparingRebalance"
        case completingRebalance = "CompletingRebalance"
        case stable = "Stable"
    }

    struct Member {
        var id: String
        var instanceId: String?
        var clientId: String
        var clientHost: String
        var sessionTimeout: Duration
        var rebalanceTimeout: Duration
        var protocols: [JoinGroupRequest.SupportedProtocol]
        var lastSeen: ContinuousClock.Instant
        var assignment = ByteBuffer()
        var pendingJoin: CheckedContinuation<JoinGroupResponse, Never>?
        var pendingSync: CheckedContinuation<SyncGroupResponse, Never>?
    }

    struct Group {
        var id: String
        var state = State.empty
        var generation: Int32 = 0
        var protocolType = ""
        var protocolName = ""
        var leader: String? = nil
        var members: [String: Member] = [:]
        /// Join order: the first member becomes leader when the old leader is gone.
        var order: [String] = []
        var rebalanceDeadline = ContinuousClock.now
        var notBefore = ContinuousClock.now
        var rebalanceStarted = ContinuousClock.now
    }

    let store: any ConsumerGroupStore
    let initialRebalanceDelay: Duration
    let logger: Logger
    var groups: [String: Group] = [:]

    init(store: any ConsumerGroupStore, initialRebalanceDelay: Duration, logger: Logger) {
        self.store = store
        self.initialRebalanceDelay = initialRebalanceDelay
        self.logger = logger
    }

    // MARK: JoinGroup

    func join(_ request: JoinGroupRequest, clientId: String, clientHost: String) async -> JoinGroupResponse {
        func failure(_ code: ErrorCode, memberId: String = request.memberId) -> JoinGroupResponse {
            var response = JoinGroupResponse()
            response.errorCode = code.rawValue
            response.memberId = memberId
            return response
        }
        guard !request.groupId.isEmpty else { return failure(.invalidGroupId) }
        guard (1000...1_800_000).contains(request.sessionTimeoutMs) else {
            return failure(.invalidSessionTimeout)
        }
        guard !request.protocols.isEmpty else { return failure(.inconsistentGroupProtocol) }
        var group = groups[request.groupId] ?? Group(id: request.groupId)
        if !group.members.isEmpty {
            let names = Set(request.protocols.map(\.name))
            let shared = group.members.values.allSatisfy { member in
                member.id == request.memberId || member.protocols.contains { names.contains($0.name) }
            }
            if request.protocolType != group.protocolType || !shared {
                return failure(.inconsistentGroupProtocol)
            }
        }
        var memberId = request.memberId
        if memberId.isEmpty {
            memberId = "\(clientId.isEmpty ? "member" : clientId)-\(UUID().uuidString.lowercased())"
        } else if group.members[memberId] == nil {
            return failure(.unknownMemberId)
        }
        let now = ContinuousClock.now
        let rebalanceTimeout =
            request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs
        var member =
            group.members[memberId]
            ?? Member(
                id: memberId, instanceId: request.groupInstanceId, clientId: clientId, clientHost: clientHost,
                sessionTimeout: .zero, rebalanceTimeout: .zero, protocols: [], lastSeen: now)
        if let previous = member.pendingJoin {
            previous.resume(returning: failure(.rebalanceInProgress, memberId: memberId))
            member.pendingJoin = nil
        }
        member.sessionTimeout = .milliseconds(Int(request.sessionTimeoutMs))
        member.rebalanceTimeout = .milliseconds(Int(rebalanceTimeout))
        member.protocols = request.protocols
        member.lastSeen = now
        if group.members[memberId] == nil { group.order.append(memberId) }
        group.members[memberId] = member
        group.protocolType = request.protocolType
        if group.state != .preparingRebalance {
            prepareRebalance(&group, reason: "member \(memberId) joined")
        }
        groups[request.groupId] = group
        return await withCheckedContinuation { continuation in
            groups[request.groupId]?.members[memberId]?.pendingJoin = continuation
            completeJoinIfReady(request.groupId)
        }
    }

    /// Starts a rebalance: pending SyncGroups are told to rejoin, and the join phase gets the longest
    /// rebalance timeout of the members.
    private func prepareRebalance(_ group: inout Group, reason: String) {
        let now = ContinuousClock.now
        let wasEmpty = group.state == .empty
        for id in group.members.keys {
            if let sync = group.members[id]?.pendingSync {
                var response = SyncGroupResponse()
                response.errorCode = ErrorCode.rebalanceInProgress.rawValue
                sync.resume(returning: response)
                group.members[id]?.pendingSync = nil
            }
        }
        group.state = .preparingRebalance
        group.rebalanceStarted = now
        let longest = group.members.values.map(\.rebalanceTimeout).max() ?? .seconds(10)
        group.rebalanceDeadline = now + longest
        group.notBefore = wasEmpty ? now + initialRebalanceDelay : now
        logger.info("group \(group.id) rebalancing (generation \(group.generation)): \(reason)")
    }

    /// Ends the join phase when every member has rejoined (after the initial delay of an empty group) or
    /// the rebalance timeout passed; members that did not rejoin are dropped.
    private func completeJoinIfReady(_ groupId: String) {
        guard var group = groups[groupId], group.state == .preparingRebalance else { return }
        let now = ContinuousClock.now
        let everyoneJoined = group.members.values.allSatisfy { $0.pendingJoin != nil }
        guard (everyoneJoined && now >= group.notBefore) || now >= group.rebalanceDeadline else { return }
        for (id, member) in group.members where member.pendingJoin == nil {
            group.members[id] = nil
            logger.info("group \(groupId): member \(id) did not rejoin in time and was removed")
        }
        group.order.removeAll { group.members[$0] == nil }
        group.generation &+= 1
        guard let first = group.order.first else {
            group.state = .empty
            group.leader = nil
            groups[groupId] = group
            return
        }
        if group.leader.map({ group.members[$0] == nil }) ?? true { group.leader = first }
        let leader = group.leader ?? first
        // The leader's first preference that every member supports.
        let candidates = group.members[leader]?.protocols.map(\.name) ?? []
        group.protocolName =
            candidates.first { name in
                group.members.values.allSatisfy { member in member.protocols.contains { $0.name == name } }
            } ?? candidates.first ?? ""
        group.state = .completingRebalance
        let members = group.order.compactMap { group.members[$0] }
        for member in members {
            var response = JoinGroupResponse()
            response.generationId = group.generation
            response.protocolName = group.protocolName
            response.leader = leader
            response.memberId = member.id
            if member.id == leader {
                response.members = members.map { other in
                    var entry = JoinGroupResponse.Member()
                    entry.memberId = other.id
                    entry.groupInstanceId = other.instanceId
                    entry.metadata =
                        other.protocols.first { $0.name == group.protocolName }?.metadata ?? ByteBuffer()
                    return entry
                }
            }
            member.pendingJoin?.resume(returning: response)
            group.members[member.id]?.pendingJoin = nil
            group.members[member.id]?.lastSeen = now
        }
        let took = now - group.rebalanceStarted
        logger.info(
            "group \(groupId) generation \(group.generation): \(members.count) member(s), leader \(leader), join phase took \(took)"
        )
        groups[groupId] = group
    }

    // MARK: SyncGroup, Heartbeat, LeaveGroup

    func sync(_ request: SyncGroupRequest) async -> SyncGroupResponse {
        func failure(_ code: ErrorCode) -> SyncGroupResponse {
            var response = SyncGroupResponse()
            response.errorCode = code.rawValue
            return response
        }
        guard var group = groups[request.groupId], group.members[request.memberId] != nil else {
            return failure(.unknownMemberId)
        }
        guard request.generationId == group.generation else { return failure(.illegalGeneration) }
        group.members[request.memberId]?.lastSeen = ContinuousClock.now
        switch group.state {
        case .empty, .preparingRebalance:
            groups[request.groupId] = group
            return failure(.rebalanceInProgress)
        case .stable:
            groups[request.groupId] = group
            var response = SyncGroupResponse()
            response.assignment = group.members[request.memberId]?.assignment ?? ByteBuffer()
            return response
        case .completingRebalance:
            if request.memberId == group.leader {
                let assignments = Dictionary(
                    request.assignments.map { ($0.memberId, $0.assignment) }, uniquingKeysWith: { a, _ in a })
                for id in group.members.keys {
                    group.members[id]?.assignment = assignments[id] ?? ByteBuffer()
                    if let pending = group.members[id]?.pendingSync {
                        var response = SyncGroupResponse()
                        response.assignment = assignments[id] ?? ByteBuffer()
                        pending.resume(returning: response)
                        group.members[id]?.pendingSync = nil
                    }
                }
                group.state = .stable
                logger.info(
                    "group \(group.id) generation \(group.generation) stable after \(ContinuousClock.now - group.rebalanceStarted)"
                )
                groups[request.groupId] = group
                var response = SyncGroupResponse()
                response.assignment = assignments[request.memberId] ?? ByteBuffer()
                return response
            }
            groups[request.groupId] = group
            return await withCheckedContinuation { continuation in
                groups[request.groupId]?.members[request.memberId]?.pendingSync = continuation
            }
        }
    }

    func heartbeat(_ request: HeartbeatRequest) -> HeartbeatResponse {
        var response = HeartbeatResponse()
        guard var group = groups[request.groupId], group.members[request.memberId] != nil else {
            response.errorCode = ErrorCode.unknownMemberId.rawValue
            return response
        }
        group.members[request.memberId]?.lastSeen = ContinuousClock.now
        groups[request.groupId] = group
        if request.generationId != group.generation {
            response.errorCode = ErrorCode.illegalGeneration.rawValue
        } else if group.state == .preparingRebalance {
            response.errorCode = ErrorCode.rebalanceInProgress.rawValue
        }
        return response
    }

    func leave(_ request: LeaveGroupRequest, version: Int16) -> LeaveGroupResponse {
        var response = LeaveGroupResponse()
        let leaving = version >= 3 ? request.members.map(\.memberId) : [request.memberId]
        guard var group = groups[request.groupId] else {
            response.errorCode = ErrorCode.unknownMemberId.rawValue
            return response
        }
        var removed = 0
        for id in leaving {
            var entry = LeaveGroupResponse.Member()
            entry.memberId = id
            if let member = group.members.removeValue(forKey: id) {
                removed += 1
                var join = JoinGroupResponse()
                join.errorCode = ErrorCode.unknownMemberId.rawValue
                member.pendingJoin?.resume(returning: join)
                var sync = SyncGroupResponse()
                sync.errorCode = ErrorCode.unknownMemberId.rawValue
                member.pendingSync?.resume(returning: sync)
            } else {
                entry.errorCode = ErrorCode.unknownMemberId.rawValue
                if version < 3 { response.errorCode = ErrorCode.unknownMemberId.rawValue }
            }
            response.members.append(entry)
        }
        group.order.removeAll { group.members[$0] == nil }
        if removed > 0 {
            if group.members.isEmpty {
                group.state = .empty
                group.generation &+= 1
                group.leader = nil
            } else {
                prepareRebalance(&group, reason: "\(removed) member(s) left")
            }
        }
        groups[request.groupId] = group
        completeJoinIfReady(request.groupId)
        return response
    }

    // MARK: Sessions

    /// Expires members whose session ran out and completes join phases whose wait is over, every 50 ms.
    func sweepForever() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            sweep()
        }
    }

    func sweep() {
        let now = ContinuousClock.now
        for id in Array(groups.keys) {
            guard var group = groups[id] else { continue }
            var expired: [String] = []
            for member in group.members.values
            where member.pendingJoin == nil && member.pendingSync == nil
                && now - member.lastSeen > member.sessionTimeout
            {
                expired.append(member.id)
            }
            if !expired.isEmpty {
                for member in expired { group.members[member] = nil }
                group.order.removeAll { group.members[$0] == nil }
                if group.members.isEmpty {
                    group.state = .empty
                    group.generation &+= 1
                    group.leader = nil
                } else if group.state != .preparingRebalance {
                    prepareRebalance(&group, reason: "session of \(expired.joined(separator: ", ")) expired")
                }
                groups[id] = group
            }
            completeJoinIfReady(id)
        }
    }
}
