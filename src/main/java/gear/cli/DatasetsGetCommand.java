package gear.cli;

import gear.data.DataDirs;
import gear.data.DatasetFetcher;
import gear.data.DatasetInfo;
import gear.data.DatasetRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gear datasets get}: download or import a data set, checksum verified. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Download a data set into the cache (checksum verified), or import it from a local mirror.")
final class DatasetsGetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Data set name(s) (see gear datasets list), or 'all'.")
    List<String> names;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where data sets are stored (default: $GEAR_DATA, then ~/.cache/gear/datasets).")
    Path dataDir;

    @Option(names = "--from", paramLabel = "DIR_OR_URL_BASE",
            description = "Fetch from a local mirror directory or an http(s) base URL instead of the public origin.")
    String from;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DatasetRegistry reg = DatasetRegistry.load();
        Path dir = DataDirs.resolve(dataDir);
        List<DatasetInfo> todo = names.size() == 1 && names.get(0).equals("all") ? reg.datasets()
                : names.stream().map(reg::get).toList();
        for (DatasetInfo info : todo) {
            DatasetFetcher.Result r = DatasetFetcher.fetch(info, dir, from);
            switch (r.outcome()) {
                case UP_TO_DATE -> out.println(info.name() + ": up to date (" + r.file() + ")");
                case DOWNLOADED -> out.println(info.name() + ": downloaded " + r.bytes() + " bytes from " + r.source()
                        + " to " + r.file() + " (SHA-256 " + r.sha256() + " verified)");
                case IMPORTED -> out.println(info.name() + ": imported " + r.bytes() + " bytes from " + r.source()
                        + " to " + r.file() + " (SHA-256 " + r.sha256() + " verified)");
            }
            out.flush();
        }
        return 0;
    }
}
