package gear.data;

/** A fetched file whose SHA-256 is not the expected one (bad input: exit code 2). */
public class ChecksumMismatchException extends BadInputException {
    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String actual;

    /**
     * @param message what was fetched from where
     * @param expected expected SHA-256
     * @param actual actual SHA-256
     */
    public ChecksumMismatchException(String message, String expected, String actual) {
        super(message);
        this.expected = expected;
        this.actual = actual;
    }

    /** @return the expected SHA-256 */
    public String expected() {
        return expected;
    }

    /** @return the SHA-256 of what was received */
    public String actual() {
        return actual;
    }
}
