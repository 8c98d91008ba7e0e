/**
 * Performance benchmarks behind {@code gear bench}: featurization ({@link gear.bench.FeaturizeBenchmark}),
 * D-MPNN training throughput ({@link gear.bench.TrainBench}), transfer-method step cost
 * ({@link gear.bench.TransferBench}) and the curvature routes ({@link gear.bench.CurvatureBenchmark}, which
 * runs each size in a child JVM to measure its peak memory).
 *
 * <p>Benchmarks live here, above the domain packages they measure, so that no domain package spawns JVMs or
 * times itself. Results are JSON lines; targets and recorded numbers are in {@code docs/PERFORMANCE.md}.
 */
package gear.bench;
