import EddyLog

/// Looks a topic up for a command that writes to it, creating it when the command allows, and turns
/// "does not exist" into a message that names both fixes.
enum TopicResolver {
    /// - Parameter createWith: the partition count to create the topic with when absent; nil to fail.
    static func describe(_ topic: String, in log: any Log, createWith partitions: Int?) throws
        -> TopicDescription
    {
        do {
            return try log.describeTopic(topic)
        } catch .topicNotFound {
            guard let partitions else {
                throw CLIError.invalidArgument(
                    "topic '\(topic)' does not exist; create it with: eddy topics create \(topic) (or add --create)"
                )
            }
            do {
                return try log.createTopic(topic, config: TopicConfig(partitions: partitions))
            } catch .topicAlreadyExists {
                return try log.describeTopic(topic)  // another process created it meanwhile
            }
        }
    }
}
