package gear.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {
    private static DemoStage stage(String name, List<String> log, boolean fail) {
        return new DemoStage() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "test stage " + name;
            }

            @Override
            public void run(DemoContext context) {
                log.add(name + "@" + context.seed());
                if (fail) {
                    throw new IllegalStateException("stage " + name + " failed");
                }
            }
        };
    }

    @Test
    void runsStagesInOrderAndReportsThem() throws Exception {
        List<String> log = new ArrayList<>();
        StringWriter text = new StringWriter();
        Demo.Report r = Demo.run(new DemoContext(Path.of("x"), 5, new PrintWriter(text)),
                List.of(stage("a", log, false), stage("b", log, false)));
        assertEquals(List.of("a@5", "b@5"), log);
        assertEquals(List.of("a", "b"), r.ran());
        assertNull(r.data());
        assertTrue(text.toString().contains("[2/2] b: test stage b"), text.toString());
        assertTrue(text.toString().contains("stages run: a, b"), text.toString());
    }

    @Test
    void aFailingStageStopsTheRun() {
        List<String> log = new ArrayList<>();
        DemoContext ctx = new DemoContext(Path.of("x"), 1, new PrintWriter(new StringWriter()));
        assertThrows(IllegalStateException.class,
                () -> Demo.run(ctx, List.of(stage("a", log, true), stage("b", log, false))));
        assertEquals(List.of("a@1"), log);
        assertThrows(IllegalStateException.class, ctx::data, "no data stage ran");
    }

    @Test
    void theDataStageComesFirst() {
        assertEquals("data", Demo.stages().get(0).name());
    }
}
