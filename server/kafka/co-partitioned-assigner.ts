// Assigns partition number N of every subscribed topic to the same member, as Kafka Streams does for
// co-partitioned topics. kafkajs's round-robin assigner would give bps-items-added-0 and
// bps-purchase-created-0 to different workers, and then two processes would write the same items.
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

export const coPartitionedAssignerName = 'BpsCoPartitionedAssigner';

export function assignPartitionNumbers(memberIds: readonly string[], partitionNumbers: readonly number[]): Map<string, number[]> {
  const members = [...memberIds].sort();
  const assignment = new Map<string, number[]>(members.map((member) => [member, []]));
  [...partitionNumbers].sort((a, b) => a - b).forEach((partition, index) => {
    const member = members[index % members.length];
    // members is non-empty whenever the group coordinator asks for an assignment.
    if (member === undefined) throw new Error('no members to assign partitions to');
    assignment.get(member)?.push(partition);
  });
  return assignment;
}

export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: coPartitionedAssignerName,
  version: 0,
  async assign({ members, topics }) {
    const partitionNumbers = new Set<number>();
    for (const topic of topics) {
      for (const metadata of cluster.findTopicPartitionMetadata(topic)) partitionNumbers.add(metadata.partitionId);
    }
    const byMember = assignPartitionNumbers(
      members.map((member) => member.memberId),
      [...partitionNumbers],
    );
    return [...byMember].map(([memberId, partitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        // A topic without partition N (counts must be equal; ensureTopics checks) simply is not assigned N.
        assignment: Object.fromEntries(
          topics.map((topic) => {
            const existing = new Set(cluster.findTopicPartitionMetadata(topic).map((metadata) => metadata.partitionId));
            return [topic, partitions.filter((partition) => existing.has(partition))];
          }),
        ),
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: coPartitionedAssignerName,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});
