package io.modelcache.sim.scenario;

import io.modelcache.sim.scenario.Checks.ExpectedLoads;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates a case's checks on what it measured. Each check gives its evidence whether it passes or not, so the
 * summary says what was seen, not only a verdict.
 */
final class CaseChecks {
    private final ScenarioCase scenarioCase;
    private final List<Measurement> measurements;
    private final List<FaultRecord> faults;
    private final List<String> errors;
    private final List<String> survivors;

    CaseChecks(ScenarioCase scenarioCase, List<Measurement> measurements, List<FaultRecord> faults,
               List<String> errors, List<String> survivors) {
        this.scenarioCase = scenarioCase;
        this.measurements = measurements;
        this.faults = faults;
        this.errors = errors;
        this.survivors = survivors;
    }

    List<CheckResult> evaluate() {
        Checks checks = scenarioCase.checks();
        List<CheckResult> results = new ArrayList<>();
        results.add(ran());
        if (checks.identicalBytes()) {
            results.add(identicalBytes());
        }
        results.add(within());
        results.add(loads());
        if (!checks.failureContains().isEmpty()) {
            results.add(failureContains());
        }
        if (scenarioCase.hasFaults()) {
            results.add(faultsDone());
        }
        if (checks.noProcessLeft()) {
            results.add(result("no-process-left", survivors.isEmpty(), survivors.isEmpty()
                ? "every process of the case's clusters exited when they stopped"
                : "still running after their cluster stopped: " + String.join(", ", survivors)));
        }
        return results;
    }

    private CheckResult ran() {
        long puts = measurements.stream().filter(m -> !m.isLoad()).count();
        long rounds = measurements.stream().filter(Measurement::isLoad).count();
        int points = scenarioCase.sweep().points().size();
        List<String> problems = new ArrayList<>(errors);
        for (Measurement m : measurements) {
            if (!m.isLoad() && !m.isCompleted()) {
                problems.add("the put of point " + m.point() + " failed, so its loads did not run: " + m.error());
            }
        }
        if (!problems.isEmpty()) {
            return result("ran", false, String.join("; ", problems));
        }
        boolean isAll = rounds == (long) points * scenarioCase.loads();
        return result("ran", isAll, String.format(Locale.ROOT, "%d point%s, %d put%s, %d load round%s", points,
            points == 1 ? "" : "s", puts, puts == 1 ? "" : "s", rounds, rounds == 1 ? "" : "s"));
    }

    private CheckResult identicalBytes() {
        List<String> differing = new ArrayList<>();
        long completed = 0;
        for (Measurement m : loadRounds()) {
            if (m.isCompleted()) {
                completed++;
                if (!m.isIdentical()) {
                    differing.add(where(m));
                }
            }
        }
        return result("identical-bytes", differing.isEmpty(), completed == 0 ? "no load round completed, so no "
            + "bytes to compare" : differing.isEmpty()
            ? completed + " completed load round" + (completed == 1 ? "" : "s") + ", every byte identical"
            : "bytes differ from the source in " + String.join(", ", differing));
    }

    private CheckResult within() {
        double boundSeconds = scenarioCase.checks().within().toMillis() / 1e3;
        List<String> late = new ArrayList<>();
        double slowest = 0;
        for (Measurement m : measurements) {
            slowest = Math.max(slowest, m.seconds());
            if (m.seconds() > boundSeconds) {
                late.add(String.format(Locale.ROOT, "%s (%.1f s)", where(m), m.seconds()));
            }
        }
        return result("within", late.isEmpty() && errors.stream().noneMatch(e -> e.contains("did not finish")),
            late.isEmpty() ? String.format(Locale.ROOT, "slowest %.2f s of %.0f s allowed", slowest, boundSeconds)
                : "over " + boundSeconds + " s: " + String.join(", ", late));
    }

    private CheckResult loads() {
        ExpectedLoads expected = scenarioCase.checks().loads();
        List<String> unexpected = new ArrayList<>();
        long completed = 0;
        long failed = 0;
        for (Measurement m : loadRounds()) {
            if (m.isCompleted()) {
                completed++;
            } else {
                failed++;
            }
            boolean isExpected = switch (expected) {
                case COMPLETED -> m.isCompleted();
                case FAILED -> !m.withFaults() || !m.isCompleted();
                case ANY -> true;
            };
            if (!isExpected) {
                unexpected.add(where(m) + (m.isCompleted() ? " completed" : " failed: " + m.error()));
            }
        }
        String seen = "load rounds: " + completed + " completed, " + failed + " failed";
        return result("loads " + expected.label(), unexpected.isEmpty(), unexpected.isEmpty() ? seen
            : seen + "; not as expected: " + String.join("; ", unexpected));
    }

    private CheckResult failureContains() {
        String text = scenarioCase.checks().failureContains();
        List<String> other = new ArrayList<>();
        for (Measurement m : measurements) {
            if (!m.isCompleted() && !m.error().contains(text)) {
                other.add(where(m) + ": " + m.error());
            }
        }
        return result("failure-contains '" + text + "'", other.isEmpty(), other.isEmpty()
            ? "every failure's message contains it" : "messages without it: " + String.join("; ", other));
    }

    private CheckResult faultsDone() {
        List<String> notDone = new ArrayList<>();
        for (FaultRecord fault : faults) {
            if (!fault.isApplied()) {
                notDone.add("point " + fault.point() + ": " + fault.fault().describe() + " (" + fault.detail() + ")");
            }
        }
        int expected = scenarioCase.sweep().points().size() * scenarioCase.faults().size();
        boolean isPassed = notDone.isEmpty() && faults.size() == expected;
        return result("faults done", isPassed, notDone.isEmpty()
            ? faults.size() + " of " + expected + " faults done during their load"
            : "not done: " + String.join("; ", notDone));
    }

    private List<Measurement> loadRounds() {
        return measurements.stream().filter(Measurement::isLoad).toList();
    }

    private static String where(Measurement m) {
        return "point " + m.point() + " " + m.operation() + (m.isLoad() ? " round " + m.round() : "");
    }

    private CheckResult result(String check, boolean isPassed, String detail) {
        return new CheckResult(scenarioCase.name(), check, isPassed, detail);
    }
}
