package io.modelcache.sim.scenario;

import java.time.Duration;
import java.util.Locale;

/**
 * Something done to the cluster while a point's first load round runs.
 *
 * @param action what is done
 * @param node the data node it is done to, numbered from 1 in start order; 0 for {@link Action#JOIN}
 * @param trigger when it is done
 * @param duration how long {@link Action#STOP} keeps the node stopped; {@link Duration#ZERO} for the others
 */
public record Fault(Action action, int node, Trigger trigger, Duration duration) {

    /** What a fault does. */
    public enum Action {
        /** SIGKILL of the node's JVM ({@code kill -9}): its memory, connections and membership end at once. */
        KILL,
        /** SIGSTOP of the node's JVM for {@link Fault#duration()}, then SIGCONT: a stall, not a loss. */
        STOP,
        /** SIGTERM: the node leaves the cluster gracefully (coordinated shutdown), then exits with code 143. */
        LEAVE,
        /** A new data node starts and joins the cluster. */
        JOIN;

        /** @return the name used in scenario files and reports */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** When a fault is done. */
    public sealed interface Trigger {
        /** @return how it reads in a report, for example {@code at 2.0 s} or {@code at 30% of the load} */
        String describe();
    }

    /**
     * A time after the first load round started.
     *
     * @param offset the time since the loads were sent to the clients
     */
    public record AtTime(Duration offset) implements Trigger {
        @Override
        public String describe() {
            return String.format(Locale.ROOT, "at %.1f s", offset.toMillis() / 1e3);
        }
    }

    /**
     * A fraction of the bytes of the first client's load: the client holds that load at the first progress report
     * at or past the fraction until the fault is done, so the fault always lands while the load has work left,
     * however fast it is.
     *
     * @param fraction in (0, 1)
     */
    public record AtProgress(double fraction) implements Trigger {
        @Override
        public String describe() {
            return String.format(Locale.ROOT, "at %.0f%% of the load", fraction * 100);
        }
    }

    /** @return a short description, for example {@code kill node 3 at 30% of the load} */
    public String describe() {
        String target = action == Action.JOIN ? "a new node" : "node " + node;
        String stall = action == Action.STOP
            ? String.format(Locale.ROOT, " for %.1f s", duration.toMillis() / 1e3) : "";
        return action.label() + " " + target + stall + " " + trigger.describe();
    }
}
