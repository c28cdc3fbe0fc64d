package dev.vireo.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the node's code, read from its compiled classes: no package cycles, and the layers stay in
 * their order (the lower packages never reach up). A failure names the classes behind each offending edge.
 */
class PackageGraphTest {
  private static final String ROOT = "dev.vireo";
  /** Package -> package it depends on -> "Source -> Target" class pairs. */
  private static final Map<String, Map<String, Set<String>>> GRAPH = new TreeMap<>();

  @BeforeAll
  static void importClasses() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
    for (JavaClass c : classes) {
      String from = c.getPackageName();
      GRAPH.computeIfAbsent(from, k -> new TreeMap<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = d.getTargetClass().getPackageName();
        if (to.equals(from) || !(to.equals(ROOT) || to.startsWith(ROOT + "."))) continue;
        GRAPH.get(from).computeIfAbsent(to, k -> new TreeSet<>())
            .add(outer(c.getName()) + " -> " + outer(d.getTargetClass().getName()));
      }
    }
    assertTrue(GRAPH.size() > 10, "the node's classes were not found: " + GRAPH.keySet());
  }

  private static String outer(String className) {
    int dollar = className.indexOf('$');
    String name = dollar < 0 ? className : className.substring(0, dollar);
    return name.substring(name.lastIndexOf('.') + 1);
  }

  @Test
  void noPackageCycles() {
    List<List<String>> cycles = stronglyConnected();
    StringBuilder why = new StringBuilder();
    for (List<String> cycle : cycles) {
      why.append("\ncycle ").append(cycle);
      for (String a : cycle) {
        for (String b : cycle) {
          Set<String> edges = GRAPH.get(a).get(b);
          if (edges != null) why.append("\n  ").append(a).append(" -> ").append(b).append(": ").append(edges);
        }
      }
    }
    assertEquals(List.of(), cycles, why.toString());
  }

  /**
   * The layers, lowest first. A package may depend on its own layer's other packages only where named here, and
   * on lower layers freely; never on a higher one.
   */
  private static final List<Set<String>> LAYERS = List.of(
      Set.of("util", "bus", "replication", "scripting.lib"),
      Set.of("config", "resp", "persistence.rdb"),
      Set.of("store"),
      Set.of("server"),
      Set.of("persistence", "observability", "scripting", "acl"),
      Set.of("persistence.aof"),
      Set.of("replication.master"),
      Set.of("replication.replica", "observability.metrics"),
      Set.of("command"),
      Set.of("web", "fleet"),
      Set.of(""));

  @Test
  void lowerLayersNeverReachUp() {
    Map<String, Integer> layerOf = new HashMap<>();
    for (int i = 0; i < LAYERS.size(); i++) {
      for (String p : LAYERS.get(i)) layerOf.put(p.isEmpty() ? ROOT : ROOT + "." + p, i);
    }
    List<String> upward = new ArrayList<>();
    for (var from : GRAPH.entrySet()) {
      Integer lf = layerOf.get(from.getKey());
      assertTrue(lf != null, "package " + from.getKey() + " has no layer: add it to LAYERS");
      for (var to : from.getValue().entrySet()) {
        Integer lt = layerOf.get(to.getKey());
        if (lt != null && lt > lf) upward.add(from.getKey() + " -> " + to.getKey() + ": " + to.getValue());
      }
    }
    assertEquals(List.of(), upward, "lower packages depend on higher ones");
  }

  /** Tarjan's algorithm over the package graph: the components of more than one package are the cycles. */
  private static List<List<String>> stronglyConnected() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> result = new ArrayList<>();
    int[] counter = {0};
    for (String v : GRAPH.keySet()) {
      if (!index.containsKey(v)) connect(v, index, low, stack, onStack, result, counter);
    }
    return result;
  }

  private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
      Set<String> onStack, List<List<String>> result, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : GRAPH.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        connect(w, index, low, stack, onStack, result, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) result.add(component);
    }
  }

  /** Code names other classes by their simple names: no fully qualified names inline (imports say where from). */
  @Test
  void noInlineFullyQualifiedNames() throws IOException {
    Pattern fq = Pattern.compile("(?<![\\w.\"])(?:java|javax|io|dev|com|org|sun)\\.(?:[a-z_]\\w*\\.)+[A-Z]\\w*");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        List<String> lines = Files.readAllLines(f);
        boolean inComment = false;
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).trim();
          boolean comment = inComment || line.startsWith("/*") || line.startsWith("*") || line.startsWith("//");
          if (line.contains("/*") && !line.contains("*/")) inComment = true;
          if (line.contains("*/")) inComment = false;
          if (comment || line.startsWith("import ") || line.startsWith("package ")) continue;
          String code = line.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//.*", "");
          Matcher m = fq.matcher(code);
          if (m.find()) found.add(f + ":" + (i + 1) + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), found);
  }
}
