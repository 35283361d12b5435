package dev.lanes.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md is a whole program: this test compiles each, as
 * written, against the published artifacts on this module's class path, with every lint warning
 * an error, and runs its {@code main}. A block that no longer compiles or throws fails the build.
 */
class ReadmeTest {
    private static final Pattern BLOCK = Pattern.compile("^```java\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("^public (?:final )?class (\\w+)", Pattern.MULTILINE);

    @TempDir
    Path directory;

    /** The Java blocks of the README at the repository root (this module's parent folder). */
    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    @Test
    void blocksAreFound() {
        String text = "text\n```java\nclass A {}\n```\n```\nnot java\n```\n```java\nclass B {}\n```\n";
        assertEquals(List.of("class A {}\n", "class B {}\n"), javaBlocks(text));
    }

    @Test
    void everyJavaBlockOfTheReadmeCompilesAndRuns() throws Exception {
        Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
        if (!Files.exists(readme)) {
            readme = Path.of(System.getProperty("user.dir"), "README.md");
        }
        List<String> blocks = javaBlocks(Files.readString(readme, StandardCharsets.UTF_8));
        assertTrue(blocks.size() >= 2, "README.md has " + blocks.size() + " Java blocks; expected the quick start"
                + " and the layers example at least");
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            Matcher name = CLASS.matcher(block);
            assertTrue(name.find(), "Java block " + (i + 1) + " of README.md declares no public class");
            Path source = Files.createDirectories(directory.resolve("block" + (i + 1))).resolve(name.group(1)
                    + ".java");
            Files.writeString(source, block, StandardCharsets.UTF_8);
            compile(source, i + 1);
            String output = run(source.getParent(), name.group(1));
            assertTrue(!output.isBlank(), "Java block " + (i + 1) + " (" + name.group(1) + ") printed nothing");
        }
    }

    private static void compile(Path source, int block) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "the tests need a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            // Surefire runs the tests from a manifest-only jar and names the real class path here.
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> options = List.of("-classpath", classPath, "-d", source.getParent().toString(),
                    "-Xlint:all,-path", "-Werror", "-proc:none");
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(source)).call();
            StringBuilder messages = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
                messages.append("\n  line ").append(diagnostic.getLineNumber()).append(": ")
                        .append(diagnostic.getMessage(Locale.ROOT));
            }
            assertTrue(compiled && diagnostics.getDiagnostics().isEmpty(), "Java block " + block
                    + " of README.md does not compile cleanly:" + messages);
        }
    }

    /** Runs {@code main} of the compiled class; returns what it printed. */
    private static String run(Path classes, String className) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeTest.class.getClassLoader())) {
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        original.print(output);
        return output;
    }
}
