// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.ocfs2.o2net.core.Effects;

/**
 * A protocol core with one seeded bug, built at test time so that the product carries no switchable bugs: the bug's
 * unified diff ({@code src/test/resources/seeded-bugs/<BUG>.diff}) is applied to the core's source
 * ({@code PeerCore.java}, read from {@code conformance.impl.src}), the result is compiled in memory with
 * {@code javax.tools}, and a child-first class loader defines it together with fresh copies of every other
 * {@code org.ocfs2.o2net} class, so that the conformance suite's {@link CoreDriver} loaded there links to the bugged
 * core. Each bug is one small edit to one spec action; {@code seeded-bugs/README.md} says how to regenerate a diff that
 * no longer applies.
 */
final class SeededCore {
    static final String FOLDER = "seeded-bugs";
    static final String CORE_CLASS = "org.ocfs2.o2net.core.PeerCore";
    static final Path IMPL_SRC = Path.of(System.getProperty("conformance.impl.src", "../impl/src/main/java"));
    static final Path CORE_SOURCE = IMPL_SRC.resolve(CORE_CLASS.replace('.', '/') + ".java");
    private static final String OURS = "org.ocfs2.o2net.";

    private SeededCore() {}

    /** The seeded bugs: the names of the diffs in {@value #FOLDER}, sorted. */
    static List<String> bugs() {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".diff"))
                    .map(n -> n.substring(0, n.length() - ".diff".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The diff of {@code bug}. */
    static List<String> diff(String bug) {
        try {
            return Files.readAllLines(folder().resolve(bug + ".diff"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the bug does: the diff's header comment (its leading {@code #} lines), on one line. */
    static String description(String bug) {
        StringBuilder sb = new StringBuilder();
        for (String line : diff(bug)) {
            if (!line.startsWith("#")) {
                break;
            }
            String text = line.substring(1).trim();
            if (!text.startsWith("Seeded bug ")) {
                sb.append(sb.length() == 0 ? "" : " ").append(text);
            }
        }
        return sb.toString();
    }

    /** The core's source as it is, unpatched. */
    static String coreSource() {
        try {
            return Files.readString(CORE_SOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the core's source " + CORE_SOURCE.toAbsolutePath(), e);
        }
    }

    /**
     * The core's source with {@code bug}'s diff applied.
     *
     * @throws AssertionError naming the bug if the diff no longer applies: the core changed where the bug sits, and
     *                        the diff needs regenerating ({@code seeded-bugs/README.md})
     */
    static String patched(String bug) {
        return patched(bug, diff(bug), coreSource());
    }

    /** {@code diff} (bug {@code bug}'s) applied to {@code coreSource}; as {@link #patched(String)}. */
    static String patched(String bug, List<String> diff, String coreSource) {
        Patch<String> patch = UnifiedDiffUtils.parseUnifiedDiff(diff);
        if (patch.getDeltas().isEmpty()) {
            throw new AssertionError("seeded bug " + bug + ": " + FOLDER + "/" + bug + ".diff has no hunk");
        }
        List<String> source = List.of(coreSource.split("\n", -1));
        try {
            return String.join("\n", patch.applyTo(source));
        } catch (PatchFailedException e) {
            throw new AssertionError(
                    "seeded bug " + bug + ": its diff no longer applies to " + CORE_SOURCE + " (" + e.getMessage()
                            + "); the core changed where the bug sits: regenerate " + FOLDER + "/" + bug
                            + ".diff as " + FOLDER + "/README.md says",
                    e);
        }
    }

    /**
     * A class loader in which {@value #CORE_CLASS} is compiled from {@code source}, and every other
     * {@code org.ocfs2.o2net} class (core, wire, conformance suite) is defined anew from the test class path, so that
     * they link to that core; everything else (the JDK, Jackson, TLC) comes from the parent.
     *
     * @param what names the source in a compile error (a bug's name, or "unpatched")
     */
    static ClassLoader loaderFor(String what, String source) {
        return new ChildFirst(compile(what, source), SeededCore.class.getClassLoader());
    }

    /** Compiles the core's source in memory against the impl classes; class name to bytecode. */
    private static Map<String, byte[]> compile(String what, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime (javax.tools): run the tests on a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        try (StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            JavaFileManager fm = new ForwardingJavaFileManager<>(std) {
                @Override
                public JavaFileObject getJavaFileForOutput(
                        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    out.put(className, bytes);
                    return new SimpleJavaFileObject(
                            URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return bytes;
                        }
                    };
                }
            };
            JavaFileObject unit =
                    new SimpleJavaFileObject(
                            URI.create("string:///" + CORE_CLASS.replace('.', '/') + ".java"),
                            JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return source;
                        }
                    };
            List<String> options = List.of("-classpath", classPath(), "-proc:none", "-nowarn");
            Boolean ok = javac.getTask(null, fm, diagnostics, options, null, List.of(unit))
                    .call();
            if (!ok) {
                StringBuilder sb = new StringBuilder();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        sb.append("\n  line ")
                                .append(d.getLineNumber())
                                .append(": ")
                                .append(d.getMessage(null));
                    }
                }
                throw new AssertionError("seeded bug " + what + ": the patched " + CORE_SOURCE.getFileName()
                        + " does not compile; regenerate " + FOLDER + "/" + what + ".diff as " + FOLDER
                        + "/README.md says" + sb);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, byte[]> classes = new HashMap<>();
        out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        if (!classes.containsKey(CORE_CLASS)) {
            throw new IllegalStateException(
                    "compiling " + what + " produced no " + CORE_CLASS + ": " + classes.keySet());
        }
        return classes;
    }

    /** The impl classes (where the core's own package and the wire package are), then this JVM's class path. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        try {
            entries.add(Path.of(Effects.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        return String.join(File.pathSeparator, entries);
    }

    private static Path folder() {
        URL url = SeededCore.class.getClassLoader().getResource(FOLDER);
        if (url == null) {
            throw new IllegalStateException("no " + FOLDER + " folder on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Child-first for {@code org.ocfs2.o2net}: the compiled core from memory, every other class of ours defined anew
     * from the parent's class files; the rest from the parent.
     */
    private static final class ChildFirst extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> compiled;

        ChildFirst(Map<String, byte[]> compiled, ClassLoader parent) {
            super("seeded-core", parent);
            this.compiled = compiled;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(OURS)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = compiled.containsKey(name) ? compiled.get(name) : parentBytes(name);
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private byte[] parentBytes(String name) throws ClassNotFoundException {
            // A nested class of the core the patched source no longer has must not come from the unpatched build.
            if (name.startsWith(CORE_CLASS + "$")) {
                throw new ClassNotFoundException(name + " (not in the patched core)");
            }
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
