package io.modelcache.sim.scenario;

import com.typesafe.config.Config;

import java.util.List;

/**
 * One case of a scenario: a model, a sweep, the members' settings, faults and checks. A scenario without
 * {@code cases} has one case, named after it.
 *
 * @param name unique in its scenario
 * @param nodes how data node JVMs are started
 * @param clients how many client JVMs load at once, and how they are started
 * @param model what is stored and loaded
 * @param sweep the points measured
 * @param isWarmUp whether each new cluster first stores the model, loads it once and removes it, unmeasured but
 *     checked: the first put and load in fresh JVMs run cold (here a 23 MB load took 0.31 s, the next ones 0.07 s,
 *     and a first put 3 times as long as the next), which no measured point should pay
 * @param loads measured load rounds per point; every client loads once per round
 * @param faults done during each point's first load round; a case with faults starts a new cluster for each point
 * @param checks what the case must show
 * @param memberConfig HOCON settings given to every node and client ({@code --config}), under the sweep's
 */
public record ScenarioCase(String name, NodeSettings nodes, ClientSettings clients, ModelSource model, Sweep sweep,
                           boolean isWarmUp, int loads, List<Fault> faults, Checks checks, Config memberConfig) {

    /**
     * How data node JVMs are started.
     *
     * @param memoryBytes each node's off-heap budget ({@code --memory})
     * @param heapBytes each node's {@code -Xmx}
     * @param jvmOptions more JVM flags, after the simulator's
     */
    public record NodeSettings(long memoryBytes, long heapBytes, List<String> jvmOptions) {
    }

    /**
     * How client JVMs ("inference services") are started.
     *
     * @param count how many; each joins the cluster as a client member, the first one also stores the model
     * @param heapBytes each client's {@code -Xmx}
     * @param jvmOptions more JVM flags, after the simulator's
     */
    public record ClientSettings(int count, long heapBytes, List<String> jvmOptions) {
    }

    /** @return whether the case does anything to the cluster while it loads */
    public boolean hasFaults() {
        return !faults.isEmpty();
    }
}
