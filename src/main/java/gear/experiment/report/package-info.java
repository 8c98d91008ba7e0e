/**
 * Self-contained HTML reports of run and grid directories ({@code gear report}).
 *
 * <p>{@link gear.experiment.report.RunReport} reads whatever a {@code gear train}, {@code gear transfer}
 * or {@code gear benchmark} run left in its directory (config.json, splits.json, model file headers,
 * results.json/results.csv, summary.md, metrics.csv, test_predictions.csv, other CSV/Markdown files
 * and PNG plots) and writes one page that opens offline: CSS and the single script are inline, images
 * are {@code data:} URIs, nothing is fetched. The page is well-formed XHTML served as HTML, so it can
 * be checked with any XML parser. Helpers: {@link gear.experiment.report.Html} (escaping and the page
 * skeleton), {@link gear.experiment.report.Markdown} (a small Markdown subset),
 * {@link gear.experiment.report.Tables} (CSV/JSON tables with a row cap),
 * {@link gear.experiment.report.ModelHeader} (safetensors header metadata, read without libtorch) and
 * {@link gear.experiment.report.Reproduce} (the command line rebuilt from config.json),
 * {@link gear.experiment.report.RunSections} (a run directory's model, results, CSV and cell sections) and
 * {@link gear.experiment.report.LatentSection} (the latent-manifold picture of a GATE or GEAR run, drawn from its
 * model when the report is written). The other grids whose pair cells a task-set grid's report reads are
 * {@link gear.experiment.grid.PairGrids}, shared with {@code gear benchmark --summary-only}.
 */
package gear.experiment.report;
