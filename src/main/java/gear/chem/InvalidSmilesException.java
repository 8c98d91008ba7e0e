package gear.chem;

/** A SMILES string that cannot be parsed or sanitized into a molecule. */
public class InvalidSmilesException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the SMILES (the SMILES itself is included by callers) */
    public InvalidSmilesException(String message) {
        super(message);
    }

    /** @param message what is wrong; @param cause the toolkit's exception */
    public InvalidSmilesException(String message, Throwable cause) {
        super(message, cause);
    }
}
