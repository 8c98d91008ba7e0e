package gear.experiment.grid;

import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the cell runner: a class named explicitly, or the first {@link CellRunner} service on the class path. */
public final class CellRunners {
    /** The message when no runner is available. */
    public static final String UNAVAILABLE = "transfer methods not available: see issue 5";

    private CellRunners() {}

    /** @return the class name of the first {@link CellRunner} registered in {@code META-INF/services}, if any */
    public static Optional<String> defaultRunnerClass() {
        return ServiceLoader.load(CellRunner.class).stream().findFirst().map(p -> p.type().getName());
    }

    /**
     * Instantiates a runner by class name.
     *
     * @throws IllegalArgumentException if the class is missing, not a {@link CellRunner} or has no public no-arg constructor
     */
    public static CellRunner create(String className) {
        try {
            Class<?> c = Class.forName(className);
            if (!CellRunner.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException("runner class " + className + " does not implement " + CellRunner.class.getName());
            }
            return (CellRunner) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot instantiate runner class " + className + ": " + e);
        }
    }
}
