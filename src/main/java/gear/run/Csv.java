package gear.run;

/** RFC 4180 quoting of one CSV cell. */
final class Csv {
    private Csv() {}

    /** @return the cell, quoted when it holds a comma, quote, CR or LF */
    static String quote(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
