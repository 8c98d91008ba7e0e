package gear.cli;

import java.util.concurrent.Callable;

/**
 * Base of commands whose capability is not built yet: they exit 2 and say which issue builds them,
 * so that nothing pretends to work.
 */
abstract class NotImplemented implements Callable<Integer> {
    private final String issue;

    NotImplemented(String issue) {
        this.issue = issue;
    }

    @Override
    public Integer call() {
        System.err.println("not implemented yet: see issue " + issue);
        return Main.EXIT_BAD_INPUT;
    }
}
