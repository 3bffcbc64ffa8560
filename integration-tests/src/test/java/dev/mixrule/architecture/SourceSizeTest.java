package dev.mixrule.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Small rooms: no class over 400 lines and no method or constructor over 60 lines in any module's main
 * code (src/main/java; generated code lives under target/ and is not read). Lines are counted from the
 * declaration's first line (its annotations and javadoc excluded) to its closing brace.
 */
class SourceSizeTest {
    static final int MAX_CLASS_LINES = 400;
    static final int MAX_METHOD_LINES = 60;

    @Test
    void noClassOver400LinesAndNoMethodOver60() throws IOException {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
        List<Path> sources = mainSources();
        assertTrue(sources.size() > 100, "expected the main sources of every module, found " + sources.size());
        List<String> tooLong = new ArrayList<>();
        for (Path p : sources) {
            CompilationUnit cu = StaticJavaParser.parse(p);
            for (TypeDeclaration<?> t : cu.getTypes()) {
                int n = lines(t);
                if (n > MAX_CLASS_LINES) {
                    tooLong.add(root().relativize(p) + ": class " + t.getNameAsString() + " has " + n + " lines (max " + MAX_CLASS_LINES + ")");
                }
            }
            for (CallableDeclaration<?> m : cu.findAll(CallableDeclaration.class)) {
                int n = lines(m);
                if (n > MAX_METHOD_LINES) {
                    tooLong.add(root().relativize(p) + ":" + m.getBegin().orElseThrow().line + ": " + m.getNameAsString()
                            + " has " + n + " lines (max " + MAX_METHOD_LINES + ")");
                }
            }
        }
        assertEquals(List.of(), tooLong, "split these into smaller pieces (see docs/architecture.md)");
    }

    /** Lines from the first token after annotations and javadoc to the last. */
    private static int lines(Node n) {
        int end = n.getEnd().orElseThrow().line;
        int begin = n.getBegin().orElseThrow().line;
        if (n instanceof com.github.javaparser.ast.nodeTypes.NodeWithAnnotations<?> a && !a.getAnnotations().isEmpty()) {
            begin = a.getAnnotations().stream().mapToInt(x -> x.getEnd().orElseThrow().line).max().orElse(begin);
        }
        return end - begin + 1;
    }

    static Path root() {
        return Path.of(System.getProperty("mixrule.root", "..")).toAbsolutePath().normalize();
    }

    static List<Path> mainSources() throws IOException {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/")
                            && !p.toString().contains("/.git/"))
                    .sorted().toList();
        }
    }
}
