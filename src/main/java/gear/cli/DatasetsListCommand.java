package gear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import gear.data.DatasetInfo;
import gear.data.DatasetRegistry;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gear datasets list}: the known public data sets. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the known public data sets.")
final class DatasetsListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the registry (data sets and suggested pairs) as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DatasetRegistry reg = DatasetRegistry.load();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("datasets", reg.datasets());
            doc.put("pairs", reg.pairs());
            out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            List<DatasetInfo> ds = reg.datasets();
            int w = ds.stream().mapToInt(d -> d.name().length()).max().orElse(4);
            out.printf("%-" + w + "s  %6s  %-60s  %s%n", "name", "rows", "columns", "license");
            for (DatasetInfo d : ds) {
                String cols = String.join(", ", d.columnNames());
                if (cols.length() > 60) {
                    cols = cols.substring(0, 56) + " ...";
                }
                out.printf("%-" + w + "s  %6d  %-60s  %s%n", d.name(), d.rows(), cols, d.license());
            }
        }
        out.flush();
        return 0;
    }
}
