package no.followup.registry.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/** Reads the contract's {@code .avsc} files, each self-contained (one record per file). */
public final class SchemaFiles {

  /** Where the followup-schemas jar carries the contract. */
  public static final String CLASSPATH_DIR = "avro";

  private SchemaFiles() {}

  /** Every {@code *.avsc} file of {@code dir}, by file name. */
  public static Map<String, Schema> fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("schema directory " + dir.toAbsolutePath() + " does not exist");
    }
    Map<String, Schema> schemas = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".avsc")).toList()) {
        schemas.put(file.getFileName().toString(), parse(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read schema directory " + dir, e);
    }
    return schemas;
  }

  /** Every {@code *.avsc} file under the class path directory {@code avro/} (in a jar or a directory). */
  public static Map<String, Schema> fromClasspath() {
    Map<String, Schema> schemas = new TreeMap<>();
    try {
      ClassLoader loader = SchemaFiles.class.getClassLoader();
      Enumeration<URL> roots = loader.getResources(CLASSPATH_DIR);
      while (roots.hasMoreElements()) {
        URI root = roots.nextElement().toURI();
        if (root.getScheme().equals("jar")) {
          // jar:file:/path/to/followup-schemas.jar!/avro; a private file system view, so no other user of the jar is disturbed
          String spec = root.getRawSchemeSpecificPart();
          int separator = spec.indexOf("!/");
          try (FileSystem jar = FileSystems.newFileSystem(Path.of(new URI(spec.substring(0, separator))))) {
            schemas.putAll(fromDirectory(jar.getPath(spec.substring(separator + 1))));
          }
        } else {
          schemas.putAll(fromDirectory(Path.of(root)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read schemas from the class path", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (schemas.isEmpty()) {
      throw new IllegalArgumentException("no .avsc files under " + CLASSPATH_DIR + "/ on the class path");
    }
    return schemas;
  }

  private static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid Avro schema in " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

}
