package gear.demo;

/** Abandons a molecule that the Joback groups do not cover, with the reason ({@link JobackAssigner}, {@link JobackGroupTable}). */
final class JobackReject extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason what is not covered */
    JobackReject(String reason) {
        super(reason, null, false, false);
    }
}
