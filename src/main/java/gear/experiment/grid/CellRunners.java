package gear.experiment.grid;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the cell runner: a class named explicitly, or the first {@link CellRunner} service on the class path. */
public final class CellRunners {
    /** The message when no runner is available. */
    public static final String UNAVAILABLE = "transfer methods not available: see issue 5";

    /** A runner that resolves no option ({@link CellRunner#resolvedOptions} as given) and runs no cell. */
    public static final CellRunner AS_GIVEN = (cell, dir) -> {
        throw new UnsupportedOperationException("this runner only resolves options");
    };
    private static final Map<String, CellRunner> RESOLVERS = new ConcurrentHashMap<>();

    private CellRunners() {}

    /**
     * The runner whose {@link CellRunner#resolvedOptions} a grid of this runner class fingerprints its cells with:
     * one shared instance per class, or {@link #AS_GIVEN} when the class cannot be instantiated (no cell of such a
     * grid can run; e.g. the grid configuration of a tune, whose units are not cells).
     */
    public static CellRunner resolver(String className) {
        return RESOLVERS.computeIfAbsent(className, c -> {
            try {
                return create(c);
            } catch (IllegalArgumentException | LinkageError e) {
                return AS_GIVEN;
            }
        });
    }

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
