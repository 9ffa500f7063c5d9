package io.heimdall.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Keys are typed by the wrapped function: invalidating with a key of the wrong type is a compile
 * error, not a silent no-op. Checked by compiling callers with the system Java compiler.
 */
class TypedKeysTest {

  private static final String CALLER =
      "import io.heimdall.cache.*;\n"
          + "import java.time.Duration;\n"
          + "class Caller {\n"
          + "  void run(HeimdallCache<String> cache) {\n"
          + "    CachedFunction<Integer, String> one = cache.wrap((Integer id) -> \"v\" + id);\n"
          + "    CachedBiFunction<String, Integer, String> two ="
          + " cache.wrap((String s, Integer h) -> s + h);\n"
          + "    CachedBulkFunction<Integer, String> many ="
          + " cache.wrapAll(ids -> java.util.Map.<Integer, String>of());\n"
          + "    %s\n"
          + "  }\n"
          + "}\n";

  @Test
  void keysOfTheWrappedTypesCompile() {
    assertThat(compile("one.invalidate(7); two.invalidate(\"a\", 1); many.invalidate(7);"))
        .isEmpty();
  }

  @Test
  void keysOfAnotherTypeDoNotCompile() {
    assertThat(compile("one.invalidate(\"7\");")).anyMatch(m -> m.contains("incompatible types"));
    assertThat(compile("two.invalidate(1, \"a\");")).isNotEmpty();
    assertThat(compile("many.invalidate(7L);")).anyMatch(m -> m.contains("incompatible types"));
    assertThat(compile("one.apply(7L);")).anyMatch(m -> m.contains("incompatible types"));
  }

  /** Compiles the caller with {@code statement} in it; returns the error messages. */
  private static List<String> compile(String statement) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject source =
        new SimpleJavaFileObject(URI.create("string:///Caller.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return String.format(CALLER, statement);
          }
        };
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> options =
        List.of(
            "-proc:none",
            "-d",
            System.getProperty("java.io.tmpdir") + "/heimdall-typed-keys",
            "-cp",
            classPath);
    compiler.getTask(new StringWriter(), null, diagnostics, options, null, List.of(source)).call();
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null))
        .toList();
  }
}
