package adrank.loaders.presto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The Presto server distribution, fetched and cached through Maven and unpacked once.
 *
 * <p>{@code com.facebook.presto:presto-server:<version>:tar.gz} (2.08 GB for 0.287) is resolved
 * into the Maven local repository with {@code mvn dependency:get} (once per machine: CI and
 * developers download it a single time), then only {@code lib/}, {@code bin/} and
 * {@code plugin/hive-hadoop2/} (~455 MB) are unpacked into {@code <install-dir>/presto-server-<version>}.
 * The bundled ASM 9.0 jars cannot read Java 17 class files, so they are left out and replaced by
 * {@code asm}, {@code asm-tree}, {@code asm-analysis}, {@code asm-util} of the configured version
 * (resolved the same way). A marker file written last makes later runs reuse the tree; a file
 * lock keeps two processes from unpacking at once. The versions come from the parent pom
 * ({@code presto-server.version}, {@code presto-asm.version}).
 */
public final class PrestoDistribution {

    private static final Pattern ASM_JAR = Pattern.compile("asm(-tree|-analysis|-util)?-[0-9][0-9.]*\\.jar");
    private static final List<String> ASM_ARTIFACTS = List.of("asm", "asm-tree", "asm-analysis", "asm-util");
    private static final String MARKER = ".adrank-installed";

    private final String serverVersion;
    private final String asmVersion;
    private final Path localRepository;

    private PrestoDistribution(String serverVersion, String asmVersion, Path localRepository) {
        this.serverVersion = serverVersion;
        this.asmVersion = asmVersion;
        this.localRepository = localRepository;
    }

    /** The versions of the build (from the parent pom) and the Maven local repository of this user. */
    public static PrestoDistribution standard() {
        Properties versions = new Properties();
        try (InputStream in = PrestoDistribution.class.getResourceAsStream("/adrank/presto/distribution.properties")) {
            if (in == null) {
                throw new IllegalStateException("adrank/presto/distribution.properties is missing from the classpath");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String repo = System.getProperty("maven.repo.local");
        Path localRepository = repo != null && !repo.isBlank() ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return new PrestoDistribution(versions.getProperty("server.version"), versions.getProperty("asm.version"),
                localRepository);
    }

    public String serverVersion() {
        return serverVersion;
    }

    /** The unpacked server under the install directory (whether or not it is installed yet). */
    public Path home(Path installDir) {
        return installDir.resolve("presto-server-" + serverVersion);
    }

    /** True when the unpacked tree is complete (its marker names this server and ASM version). */
    public boolean installed(Path installDir) {
        Path marker = home(installDir).resolve(MARKER);
        try {
            return Files.isRegularFile(marker) && Files.readString(marker).strip().equals(markerText());
        } catch (IOException e) {
            return false;
        }
    }

    private String markerText() {
        return "presto-server " + serverVersion + " asm " + asmVersion;
    }

    /**
     * The server home, downloading (through Maven) and unpacking first when needed.
     *
     * @param installDir where {@code presto-server-<version>/} lives
     * @param progress   one line per step (download, unpack), for the console
     */
    public Path ensureInstalled(Path installDir, Consumer<String> progress) throws IOException {
        Path home = home(installDir);
        if (installed(installDir)) {
            return home;
        }
        Files.createDirectories(installDir);
        try (FileChannel channel = FileChannel.open(installDir.resolve("presto-server-" + serverVersion + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (installed(installDir)) {
                return home; // another process finished it while we waited
            }
            Path tarball = artifact("com.facebook.presto", "presto-server", serverVersion, "tar.gz");
            if (!Files.isRegularFile(tarball)) {
                long start = System.currentTimeMillis();
                progress.accept("downloading presto-server " + serverVersion + " (2.08 GB) into the Maven repository "
                        + localRepository + " (once per machine)");
                maven("com.facebook.presto:presto-server:" + serverVersion + ":tar.gz", false, installDir);
                progress.accept(String.format("downloaded in %.0f s", (System.currentTimeMillis() - start) / 1000.0));
            }
            List<Path> asm = new ArrayList<>();
            for (String name : ASM_ARTIFACTS) {
                asm.add(artifact("org.ow2.asm", name, asmVersion, "jar"));
            }
            if (!asm.stream().allMatch(Files::isRegularFile)) {
                // asm-util depends on the other three: one transitive resolution fetches all four
                maven("org.ow2.asm:asm-util:" + asmVersion, true, installDir);
            }
            long start = System.currentTimeMillis();
            progress.accept("unpacking lib/, bin/, plugin/hive-hadoop2/ of " + tarball.getFileName() + " into " + home);
            Path partial = installDir.resolve("presto-server-" + serverVersion + ".partial");
            deleteTree(partial);
            unpack(tarball, partial);
            for (Path dir : List.of(partial.resolve("lib"), partial.resolve("plugin/hive-hadoop2"))) {
                for (Path jar : asm) {
                    Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(partial.resolve(MARKER), markerText() + "\n", StandardCharsets.UTF_8);
            deleteTree(home);
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            progress.accept(String.format("unpacked in %.0f s", (System.currentTimeMillis() - start) / 1000.0));
            return home;
        }
    }

    private Path artifact(String group, String artifact, String version, String extension) {
        return localRepository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + "." + extension);
    }

    /** Resolves one artifact into the local repository with {@code mvn dependency:get}. */
    private void maven(String coordinates, boolean transitive, Path workDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(mavenExecutable());
        command.addAll(List.of("-B", "-ntp", "-q", "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get",
                "-Dartifact=" + coordinates, "-Dtransitive=" + transitive, "-Dmaven.repo.local=" + localRepository));
        Path log = workDir.resolve("maven-get.log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            int code = process.waitFor();
            if (code != 0) {
                throw new IOException("`" + String.join(" ", command) + "` failed with exit code " + code + ": "
                        + tail(log));
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while Maven fetched " + coordinates, e);
        }
    }

    /** {@code -Dadrank.mvn=...}, else {@code $MAVEN_HOME/bin/mvn}, else {@code mvn} on the PATH. */
    private static String mavenExecutable() {
        String explicit = System.getProperty("adrank.mvn");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        for (String variable : List.of("MAVEN_HOME", "M2_HOME")) {
            String home = System.getenv(variable);
            if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
                return Path.of(home, "bin", "mvn").toString();
            }
        }
        return "mvn";
    }

    /** Extracts the needed directories, without the ASM jars that are replaced. */
    private static void unpack(Path tarball, Path target) throws IOException {
        Files.createDirectories(target);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(
                new GZIPInputStream(Files.newInputStream(tarball), 1 << 16), 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextTarEntry()) != null) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String relative = name.substring(slash + 1); // strip presto-server-<version>/
                if (!(relative.startsWith("lib/") || relative.startsWith("bin/")
                        || relative.startsWith("plugin/hive-hadoop2/"))) {
                    continue;
                }
                Path out = target.resolve(relative).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry outside the target: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                if (!entry.isFile() || (ASM_JAR.matcher(out.getFileName().toString()).matches()
                        && (relative.startsWith("lib/") || relative.startsWith("plugin/hive-hadoop2/")))) {
                    continue; // links are not needed; old ASM is replaced
                }
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                if ((entry.getMode() & 0100) != 0) {
                    out.toFile().setExecutable(true);
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
