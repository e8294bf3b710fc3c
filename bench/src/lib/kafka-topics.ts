import type { Admin } from 'kafkajs';

/**
 * Creates `topics` and returns once every partition of each has a leader, so no round pays for
 * a topic the broker is still setting up. Not kafkajs' `waitForLeaders`: it gives up while the
 * broker answers `UNKNOWN_TOPIC_OR_PARTITION` for a topic it has just created.
 */
export async function createBenchTopics(admin: Admin, topics: readonly string[], partitions: number): Promise<void> {
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: false });
  const deadline = Date.now() + 60_000;
  while (!(await haveLeaders(admin, topics, partitions))) {
    if (Date.now() > deadline) throw new Error(`no leaders for ${topics.join(', ')} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function haveLeaders(admin: Admin, topics: readonly string[], partitions: number): Promise<boolean> {
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
  return metadata?.topics.length === topics.length && metadata.topics.every((topic) => topic.partitions.length === partitions && topic.partitions.every((p) => p.leader >= 0));
}
