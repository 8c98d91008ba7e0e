package gear.data;

/**
 * Bad user input: an unreadable or malformed file, an invalid SMILES, a missing column, a corrupt
 * model file. The message names the file, the row (where there is one) and the problem; the CLI
 * prints it and exits with code 2.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message file, row and problem */
    public BadInputException(String message) {
        super(message);
    }

    /** @param message file, row and problem; @param cause the underlying error */
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
