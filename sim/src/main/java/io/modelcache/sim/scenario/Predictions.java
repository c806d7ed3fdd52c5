package io.modelcache.sim.scenario;

import io.modelcache.timing.TimeModel;
import io.modelcache.timing.TimeModel.Observation;
import io.modelcache.timing.TimeModel.Transfer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The time model fitted to one run's measurements, separately for loads and for stores, and its predictions for
 * every measurement it can speak for.
 *
 * <p>A load is compared by its transfer seconds (first chunk request to last chunk checked, the hold for a fault taken
 * out), which is what the model describes; a put by its whole seconds, the only time a put reports. Fitted to:
 * completed work of one client (the model has no term for clients competing), outside cases with faults for loads
 * (their rounds run on a damaged cluster); puts of those cases come before any fault and count.
 */
final class Predictions {
    /** A miss larger than this fraction of the measurement is flagged in the summary. */
    static final double FLAGGED_MISS = 0.20;

    /** The model's constants (T0, L, S, N, C): fewer distinct shapes than these would fit any measurement exactly. */
    static final int MIN_SHAPES = 5;

    private final Set<String> faultCases;
    private final TimeModel loadModel;
    private final TimeModel storeModel;
    private final int loadObservations;
    private final int storeObservations;
    private final double loadError;
    private final double storeError;

    private Predictions(List<Observation> loads, List<Observation> stores, Set<String> faultCases) {
        this.faultCases = Set.copyOf(faultCases);
        this.loadModel = fitted(loads);
        this.storeModel = fitted(stores);
        this.loadObservations = loads.size();
        this.storeObservations = stores.size();
        this.loadError = loadModel == null ? Double.NaN : loadModel.logError(loads);
        this.storeError = storeModel == null ? Double.NaN : storeModel.logError(stores);
    }

    /**
     * @param measurements every measurement of the run
     * @param faultCases the names of the cases with faults
     */
    static Predictions fit(List<Measurement> measurements, Set<String> faultCases) {
        List<Observation> loads = new ArrayList<>();
        List<Observation> stores = new ArrayList<>();
        for (Measurement m : measurements) {
            if (!isFittable(m, faultCases)) {
                continue;
            }
            (m.isLoad() ? loads : stores).add(new Observation(transfer(m), measuredSeconds(m)));
        }
        return new Predictions(loads, stores, faultCases);
    }

    private static boolean isFittable(Measurement m, Set<String> faultCases) {
        return m.isCompleted() && m.clients() == 1 && measuredSeconds(m) > 0
            && !(m.isLoad() && faultCases.contains(m.caseName()));
    }

    /** A model fitted to fewer distinct shapes than it has constants would say nothing; those stay unfitted. */
    private static TimeModel fitted(List<Observation> observations) {
        return shapes(observations) < MIN_SHAPES ? null : TimeModel.fit(observations);
    }

    private static int shapes(List<Observation> observations) {
        Set<Transfer> shapes = new HashSet<>();
        for (Observation observation : observations) {
            shapes.add(observation.transfer());
        }
        return shapes.size();
    }

    /** @return the transfer the time model sees in a measurement: bytes moved, requests, nodes, strategy and P */
    static Transfer transfer(Measurement m) {
        return new Transfer(m.strategy(), m.parallelism(), m.nodes(), m.isLoad() ? m.modelBytes()
            : m.modelBytes() * m.replicas(), Math.max(1, m.requests()));
    }

    /** @return what the time model is compared with: a load's transfer seconds without the hold, a put's seconds */
    static double measuredSeconds(Measurement m) {
        return m.isLoad() ? m.transferSeconds() - m.heldSeconds() : m.seconds();
    }

    /**
     * @return the predicted seconds, when the model was fitted and speaks for this measurement: one client, and not
     *     a load of a case with faults
     */
    OptionalDouble predictedSeconds(Measurement m) {
        Optional<TimeModel> model = model(m.isLoad());
        if (model.isEmpty() || m.clients() != 1 || m.isLoad() && faultCases.contains(m.caseName())) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(model.get().seconds(transfer(m)));
    }

    /** @return the model fitted to loads ({@code true}) or to stores */
    Optional<TimeModel> model(boolean isLoad) {
        return Optional.ofNullable(isLoad ? loadModel : storeModel);
    }

    /** @return the observations the load or store model was fitted to */
    int observations(boolean isLoad) {
        return isLoad ? loadObservations : storeObservations;
    }

    /** @return the root-mean-square of log(predicted / measured) over the fitted observations; NaN when unfitted */
    double logError(boolean isLoad) {
        return isLoad ? loadError : storeError;
    }
}
