package gear.cli;

import java.util.Locale;

/** Where {@code predict} and {@code benchmark} run: in this process ({@link #LOCAL}) or on a Spark cluster ({@link #SPARK}). */
enum Engine {
    /** This process (and its child workers). */
    LOCAL,
    /** Apache Spark ({@code gear.spark}); its jars are not in the CLI jar. */
    SPARK;

    /** The message when Spark is asked for but its jars are not on the class path. */
    static final String NO_SPARK = "--engine spark: Apache Spark is not on the class path. Build with 'mvn package' (it "
            + "copies Spark's jars to target/spark-lib) and run through the ./gear launcher, which adds them for --engine spark, "
            + "or use spark-submit (docs/SCALING.md)";

    /** Parses {@code local} or {@code spark}. */
    static Engine parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "local" -> LOCAL;
            case "spark" -> {
                requireSpark();
                yield SPARK;
            }
            default -> throw new IllegalArgumentException("--engine '" + s + "': expected local or spark");
        };
    }

    /** @throws IllegalArgumentException ({@link #NO_SPARK}) when Spark's classes cannot be loaded */
    static void requireSpark() {
        try {
            Class.forName("org.apache.spark.api.java.JavaSparkContext", false, Engine.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(NO_SPARK);
        }
    }
}
