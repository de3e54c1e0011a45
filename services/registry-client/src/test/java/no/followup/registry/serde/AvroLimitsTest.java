package no.followup.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.SystemLimitException;
import org.junit.jupiter.api.Test;

/**
 * Avro reads its allocation limits once, when {@link SystemLimitException} is first used. This
 * JVM's copy was used long ago, so the test loads a fresh copy of it (and of {@link AvroLimits})
 * in a class loader of their own, as a new JVM would have them.
 */
class AvroLimitsTest {

  private static final List<String> PROPERTIES = List.of(SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
      SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY);

  @Test
  void limitsAreInForceEvenWhenAvroReadThemBeforeTheyWereSet() throws Exception {
    Map<String, String> saved = new HashMap<>();
    PROPERTIES.forEach(property -> saved.put(property, System.clearProperty(property)));
    try {
      ClassLoader fresh = new FreshCopies(Set.of(SystemLimitException.class.getName(), AvroLimits.class.getName()));
      // what a builder filling in a default does: Avro decodes, and reads its limits (none set yet)
      call(fresh, SystemLimitException.class.getName(), "checkMaxStringLength", 0L);
      assertThat(call(fresh, AvroLimits.class.getName(), "inForce")).isEqualTo(false);

      call(fresh, AvroLimits.class.getName(), "install");

      assertThat(call(fresh, AvroLimits.class.getName(), "inForce")).isEqualTo(true);
    } finally {
      saved.forEach((property, value) -> {
        if (value != null) {
          System.setProperty(property, value);
        }
      });
    }
  }

  private static Object call(ClassLoader loader, String className, String methodName, Object... arguments)
      throws Exception {
    for (Method method : Class.forName(className, true, loader).getDeclaredMethods()) {
      if (method.getName().equals(methodName) && method.getParameterCount() == arguments.length) {
        method.setAccessible(true);
        return method.invoke(null, arguments);
      }
    }
    throw new NoSuchMethodException(className + "." + methodName);
  }

  /** Defines its own copy of the named classes; everything else comes from the test's class loader. */
  private static final class FreshCopies extends ClassLoader {
    private final Set<String> copied;

    FreshCopies(Set<String> copied) {
      super(AvroLimitsTest.class.getClassLoader());
      this.copied = copied;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!copied.contains(name)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            byte[] bytes = in.readAllBytes();
            loaded = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return loaded;
      }
    }
  }
}
