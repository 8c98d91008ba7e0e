/**
 * Apache Spark as the distributed engine of the command line: grid cells as Spark tasks
 * ({@link gear.spark.SparkCellLauncher}) and partitioned prediction ({@link gear.spark.SparkPredict}).
 * Spark is a {@code provided} dependency: these classes are in the CLI jar but only load when
 * {@code --engine spark} is asked for and Spark's jars are on the class path (docs/SCALING.md).
 * The package sits above {@code experiment} and {@code run}, and nothing below imports it.
 */
package gear.spark;
