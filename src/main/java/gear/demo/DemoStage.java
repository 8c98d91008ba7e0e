package gear.demo;

/**
 * One step of the {@code gear demo} pipeline (data generation, then — as they arrive — training of
 * STL, GATE and GEAR, the RMSE table and the plots). Stages run in order on a shared
 * {@link DemoContext}; a stage reads what earlier stages left there and prints its own summary.
 */
public interface DemoStage {
    /** @return a short name, e.g. {@code "data"} */
    String name();

    /** @return one line saying what the stage does */
    String description();

    /**
     * Runs the stage.
     *
     * @param context output directory, seed, output stream and the results of earlier stages
     * @throws Exception if the stage fails (bad input: {@link gear.data.BadInputException})
     */
    void run(DemoContext context) throws Exception;
}
