package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class MarkdownTest {

    static Document xml(String fragment) throws Exception {
        var b = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new InputSource(new StringReader("<div>" + fragment + "</div>")));
    }

    @Test
    void convertsTheSubsetTheSummariesUse() throws Exception {
        String html = Markdown.toXhtml("""
                # Title
                Some *em* and **strong** text,
                continued with `a < b && c`.

                | a | b |
                |---|--:|
                | x | 1.5 |
                | y \\| z | -2 |

                - one
                - two

                ```
                <raw> & code
                ```
                ### Deep #
                """, 1);
        assertEquals("<h2>Title</h2>\n"
                + "<p>Some <em>em</em> and <strong>strong</strong> text, continued with <code>a &lt; b &amp;&amp; c</code>.</p>\n"
                + "<table>\n<thead><tr><th>a</th><th>b</th></tr></thead>\n<tbody>\n"
                + "<tr><td>x</td><td class=\"num\">1.5</td></tr>\n"
                + "<tr><td>y | z</td><td class=\"num\">-2</td></tr>\n</tbody>\n</table>\n"
                + "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
                + "<pre>&lt;raw&gt; &amp; code\n</pre>\n"
                + "<h4>Deep</h4>\n", html);
        xml(html);
    }

    @Test
    void headingLevelsAreCappedAndUnbalancedMarkupStaysText() throws Exception {
        assertEquals("<h6>x</h6>\n", Markdown.toXhtml("#### x", 4));
        String s = Markdown.toXhtml("**a *b** c* and `open code and * star", 0);
        Document d = xml(s);
        assertTrue(d.getDocumentElement().getTextContent().contains("open code"), s);
        assertEquals(0, d.getElementsByTagName("code").getLength(), s);
    }

    @Provide
    Arbitrary<String> markdownish() {
        return Arbitraries.strings().withChars("#*`|-+ 1.\n<>&\"'ab\u0001\uFFFF:").ofMaxLength(200);
    }

    @Property(tries = 300, seed = "42")
    void anyInputGivesWellFormedXhtml(@ForAll("markdownish") String md) throws Exception {
        xml(Markdown.toXhtml(md, 1));
    }
}
