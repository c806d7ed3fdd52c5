package io.modelcache.writer;

import io.modelcache.manifest.Manifest;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.partition.PartitionEntity.DropPartition;
import io.modelcache.partition.PartitionEntity.PartitionDropped;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops every partition of a model through sharding and reports what was freed: used by a failed put to
 * leave nothing allocated, and by removal.
 */
final class DropJob {

    /**
     * What was freed.
     *
     * @param chunks chunks freed
     * @param bytes bytes freed
     * @param unanswered partitions that did not confirm within the timeout
     */
    record Dropped(int chunks, long bytes, List<String> unanswered) {
    }

    private record Answer(int partition, PartitionDropped dropped, Throwable failure) {
    }

    private DropJob() {
    }

    static Behavior<Answer> create(Manifest manifest, Duration timeout, ActorRef<Dropped> replyTo) {
        return Behaviors.setup(context -> {
            ClusterSharding sharding = ClusterSharding.get(context.getSystem());
            for (int p = 0; p < manifest.partitionCount(); p++) {
                int partition = p;
                context.ask(PartitionDropped.class,
                    sharding.entityRefFor(PartitionEntity.TYPE_KEY, manifest.partitionEntityId(partition, 0)), timeout,
                    DropPartition::new, (dropped, failure) -> new Answer(partition, dropped, failure));
            }
            return collect(manifest, replyTo, 0, 0, 0, new ArrayList<>());
        });
    }

    private static Behavior<Answer> collect(Manifest manifest, ActorRef<Dropped> replyTo, int answers, int chunks,
                                            long bytes, List<String> unanswered) {
        if (answers == manifest.partitionCount()) {
            replyTo.tell(new Dropped(chunks, bytes, List.copyOf(unanswered)));
            return Behaviors.stopped();
        }
        return Behaviors.receiveMessage(answer -> {
            if (answer.dropped() == null) {
                unanswered.add(manifest.partitionEntityId(answer.partition(), 0));
                return collect(manifest, replyTo, answers + 1, chunks, bytes, unanswered);
            }
            return collect(manifest, replyTo, answers + 1, chunks + answer.dropped().chunks(),
                bytes + answer.dropped().bytes(), unanswered);
        });
    }
}
