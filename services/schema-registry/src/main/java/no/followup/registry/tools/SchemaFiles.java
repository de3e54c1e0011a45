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
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Reads the contract's {@code .avsc} files, one top-level record per file. A file may use a named
 * type another file defines (as the Avro Maven plugin allows when it generates the classes), so the
 * files are parsed with one parser, each after the files whose types it names.
 */
public final class SchemaFiles {

  /** Where the followup-schemas jar carries the contract. */
  public static final String CLASSPATH_DIR = "avro";

  private SchemaFiles() {}

  /** Every {@code *.avsc} file of {@code dir}, by file name. */
  public static Map<String, Schema> fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("schema directory " + dir.toAbsolutePath() + " does not exist");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(f -> f.getFileName().toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read schema directory " + dir, e);
    }
    return parseAll(files);
  }

  /**
   * Parses every file with one parser, deferring a file that names a type not yet defined until
   * another file has defined it. A file that still fails when no file makes progress is an error.
   */
  private static Map<String, Schema> parseAll(List<Path> files) {
    Map<String, Schema> schemas = new TreeMap<>();
    Schema.Parser parser = new Schema.Parser();
    List<Path> waiting = new ArrayList<>(files);
    while (!waiting.isEmpty()) {
      List<Path> deferred = new ArrayList<>();
      RuntimeException lastFailure = null;
      for (Path file : waiting) {
        try {
          schemas.put(file.getFileName().toString(), parser.parse(Files.readString(file)));
        } catch (IOException e) {
          throw new UncheckedIOException("could not read " + file, e);
        } catch (AvroRuntimeException e) {
          if (!String.valueOf(e.getMessage()).contains("Undefined")) {
            throw invalid(file, e);
          }
          deferred.add(file);
          lastFailure = e;
        }
      }
      if (deferred.size() == waiting.size()) {
        throw invalid(deferred.get(0), lastFailure);
      }
      waiting = deferred;
    }
    return schemas;
  }

  private static IllegalArgumentException invalid(Path file, RuntimeException e) {
    return new IllegalArgumentException("invalid Avro schema in " + file.getFileName() + ": " + e.getMessage(), e);
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

}
