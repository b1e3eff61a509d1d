package adrank.oozie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import adrank.jobs.cli.ConfigOptions;
import adrank.jobs.cli.RankCli;
import adrank.loaders.config.AdrankConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The Oozie definitions cannot drift from Oozie or from the code:
 * <ul>
 * <li>every XML under {@code app/} validates against Oozie's own XSDs (from oozie-client);</li>
 * <li>every {@code ${variable}} is defined by each example {@code env/<env>/job.properties} (or
 * handed down by the coordinator that runs the workflow), and so is every property a
 * properties value refers to;</li>
 * <li>each Spark action runs {@code RankCli}, and its argument list, with the variables replaced
 * as Oozie would for the coordinators' first actions, parses with the real {@code rank} command
 * line into a valid configuration;</li>
 * <li>the coordinators run hourly at HH:10 for the previous hour on the hour's {@code _SUCCESS}, and
 * daily after the 24 hourly markers of the previous day.</li>
 * </ul>
 */
class OozieDefinitionsTest {

    private static final Path APP = Path.of("app");
    private static final Path ENVS = Path.of("env");
    private static final String WORKFLOW = "uri:oozie:workflow:1.0";
    private static final String SPARK = "uri:oozie:spark-action:1.0";
    private static final String COORDINATOR = "uri:oozie:coordinator:0.5";
    private static final String BUNDLE = "uri:oozie:bundle:0.2";
    private static final Pattern EL = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*(:[A-Za-z_][A-Za-z0-9_]*)?(\\s*\\()?");
    private static final Set<String> EL_KEYWORDS = Set.of("true", "false", "null", "empty", "not", "and", "or", "eq",
            "ne", "lt", "gt", "le", "ge", "div", "mod", "instanceof");
    /** Dataset URI templates may use these (Oozie fills them per instance). */
    private static final Set<String> URI_TEMPLATE_VARIABLES = Set.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE");

    @Test
    void everyDefinitionValidatesAgainstOoziesSchemas() throws Exception {
        Map<String, Schema> schemas = Map.of(
                WORKFLOW, schema("oozie-workflow-1.0.xsd", "spark-action-1.0.xsd"),
                COORDINATOR, schema("oozie-coordinator-0.5.xsd"),
                BUNDLE, schema("oozie-bundle-0.2.xsd"));
        List<Path> files = xmlFiles();
        assertThat(files).extracting(p -> APP.relativize(p).toString().replace('\\', '/'))
                .containsExactlyInAnyOrder("bundle.xml", "hourly/coordinator.xml", "hourly/workflow.xml",
                        "daily/coordinator.xml", "daily/workflow.xml");
        for (Path file : files) {
            String namespace = parse(file).getDocumentElement().getNamespaceURI();
            assertThat(schemas).as("%s: root namespace %s", file, namespace).containsKey(namespace);
            try {
                schemas.get(namespace).newValidator().validate(new StreamSource(file.toFile()));
            } catch (org.xml.sax.SAXParseException e) {
                fail(file + ":" + e.getLineNumber() + ": " + e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "staging"})
    void everyVariableIsDefinedByTheExampleProperties(String env) throws Exception {
        Map<String, String> props = properties(env);
        List<String> undefined = new ArrayList<>();
        // properties referring to other properties
        props.forEach((k, v) -> variables(v, Set.of()).stream().filter(x -> !props.containsKey(x))
                .forEach(x -> undefined.add("job.properties " + k + ": ${" + x + "}")));
        // the bundle and the coordinators see the job properties
        for (String file : List.of("bundle.xml", "hourly/coordinator.xml", "daily/coordinator.xml")) {
            undefined.addAll(undefinedIn(APP.resolve(file), props.keySet()));
        }
        // a workflow also sees what its coordinator hands down
        for (String kind : List.of("hourly", "daily")) {
            Set<String> defined = new TreeSet<>(props.keySet());
            Map<String, String> handedDown = workflowConfiguration(kind);
            defined.addAll(handedDown.keySet());
            undefined.addAll(undefinedIn(APP.resolve(kind).resolve("workflow.xml"), defined));
            // and every parameter the workflow requires is handed down
            for (Element p : elements(parse(APP.resolve(kind).resolve("workflow.xml")), WORKFLOW, "parameters")) {
                for (Element property : children(p, "property")) {
                    String name = text(children(property, "name").get(0));
                    if (children(property, "value").isEmpty() && !defined.contains(name)) {
                        undefined.add(kind + "/workflow.xml: required parameter " + name);
                    }
                }
            }
        }
        assertThat(undefined).as("undefined in env/%s/job.properties", env).isEmpty();
        // every coordinator and workflow app path points at a definition in app/
        for (Element coordinator : elements(parse(APP.resolve("bundle.xml")), BUNDLE, "coordinator")) {
            assertThat(appFile(text(children(coordinator, "app-path").get(0)), props)).isRegularFile();
        }
        for (String kind : List.of("hourly", "daily")) {
            Element workflow = elements(parse(APP.resolve(kind).resolve("coordinator.xml")), COORDINATOR, "workflow")
                    .get(0);
            assertThat(appFile(text(children(workflow, "app-path").get(0)), props).resolve("workflow.xml"))
                    .isRegularFile();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "staging"})
    void sparkActionsRunTheRankCliWithArgumentsItParses(String env) throws Exception {
        Map<String, String> props = properties(env);
        for (String kind : List.of("hourly", "daily")) {
            // the workflow's first action, with what its coordinator hands down at the first nominal time
            OffsetDateTime nominal = OffsetDateTime.parse(props.get(kind + "Start").replace("Z", ":00Z"));
            Map<String, String> values = new LinkedHashMap<>(props);
            workflowConfiguration(kind).forEach((name, el) -> values.put(name, evaluateCoordinatorEl(el, nominal,
                    props)));
            List<Element> sparks = elements(parse(APP.resolve(kind).resolve("workflow.xml")), SPARK, "spark");
            assertThat(sparks).as("%s workflow Spark actions", kind).hasSize(1);
            Element spark = sparks.get(0);
            assertThat(text(children(spark, "master").get(0))).isEqualTo("yarn");
            assertThat(text(children(spark, "mode").get(0))).isEqualTo("cluster");
            assertThat(substitute(text(children(spark, "jar").get(0)), values))
                    .matches(".*/adrank-jobs-[^/]+-cluster\\.jar");
            String mainClass = text(children(spark, "class").get(0));
            assertThat(mainClass).isEqualTo(RankCli.class.getName());
            assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();

            List<String> args = new ArrayList<>();
            for (Element arg : children(spark, "arg")) {
                args.add(substitute(text(arg), values));
            }
            // every -D names a setting that exists (a typo would otherwise be ignored)
            com.typesafe.config.Config reference = com.typesafe.config.ConfigFactory.defaultReference();
            for (String arg : args) {
                if (arg.startsWith("-D")) {
                    String key = arg.substring(2, arg.indexOf('='));
                    assertThat(reference.hasPath(key)).as("%s workflow: %s is a setting in reference.conf", kind, key)
                            .isTrue();
                }
            }
            CommandLine cli = RankCli.commandLine();
            ParseResult parsed;
            try {
                parsed = cli.parseArgs(args.toArray(new String[0]));
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError(kind + " workflow (" + env + "): `rank " + String.join(" ", args)
                        + "` does not parse: " + e.getMessage(), e);
            }
            ParseResult command = parsed.subcommand();
            assertThat(command).as("a subcommand in %s", args).isNotNull();
            assertThat(command.commandSpec().name()).isEqualTo(kind);
            assertThat(command.unmatched()).isEmpty();

            // the dates the first action runs
            java.time.LocalDate expectedDay = kind.equals("hourly") ? nominal.minusHours(1).toLocalDate()
                    : nominal.minusDays(1).toLocalDate();
            assertThat(command.matchedOptionValue("--dt", (Object) null)).isEqualTo(expectedDay);
            if (kind.equals("hourly")) {
                assertThat(nominal.getMinute()).as("hourly actions run at HH:10").isEqualTo(10);
                assertThat(command.matchedOptionValue("--hr", -1)).isEqualTo(nominal.minusHours(1).getHour());
            }

            // and the configuration it builds is valid and is the one the properties describe
            ConfigOptions options = (ConfigOptions) command.commandSpec().mixins().get("options").userObject();
            AdrankConfig config = options.config();
            assertThat(config.env()).isEqualTo(props.get("adrankEnv"));
            assertThat(config.schema()).isEqualTo(props.get("schema"));
            assertThat(config.input().path()).isEqualTo(values.get("inputRoot"));
            assertThat(config.input().table()).isEqualTo(props.get("inputTable"));
            assertThat(config.hbase().zookeeperQuorum()).isEqualTo(props.get("zookeeperQuorum"));
            assertThat(config.metastore().uri()).isEqualTo(props.get("metastoreUri"));
            assertThat(config.publish().after()).isEqualTo(props.get("publishAfter"));
            assertThat(config.spark().master()).as("spark-submit decides the master").isEmpty();
            assertThat(String.join(",", config.hazelcast().members()))
                    .isEqualTo(props.get("hazelcastMembers").replaceAll("[\\[\\]\"]", ""));
        }
    }

    @Test
    void hourlyRunsAtTenPastForThePreviousHourOnItsSuccessFlagAndDailyAfterAllTwentyFourMarkers() throws Exception {
        Document hourly = parse(APP.resolve("hourly/coordinator.xml"));
        Element app = hourly.getDocumentElement();
        assertThat(app.getAttribute("frequency")).isEqualTo("${coord:hours(1)}");
        assertThat(app.getAttribute("timezone")).isEqualTo("UTC");
        Element controls = elements(hourly, COORDINATOR, "controls").get(0);
        assertThat(text(children(controls, "timeout").get(0))).isNotEmpty();
        assertThat(text(children(controls, "concurrency").get(0))).as("one hourly run at a time").isEqualTo("1");
        assertThat(text(children(controls, "throttle").get(0))).isNotEmpty();
        Map<String, Element> hourlySets = datasets(hourly);
        Element input = elements(hourly, COORDINATOR, "data-in").get(0);
        assertThat(text(children(input, "instance").get(0))).isEqualTo("${coord:current(-1)}");
        Element inputSet = hourlySets.get(input.getAttribute("dataset"));
        assertThat(text(children(inputSet, "uri-template").get(0)))
                .endsWith("/dt=${YEAR}-${MONTH}-${DAY}/hr=${HOUR}");
        assertThat(text(children(inputSet, "done-flag").get(0))).isEqualTo("_SUCCESS");
        Element output = elements(hourly, COORDINATOR, "data-out").get(0);
        assertThat(text(children(output, "instance").get(0))).isEqualTo("${coord:current(-1)}");

        Document daily = parse(APP.resolve("daily/coordinator.xml"));
        assertThat(daily.getDocumentElement().getAttribute("frequency")).isEqualTo("${coord:days(1)}");
        Element hours = elements(daily, COORDINATOR, "data-in").get(0);
        assertThat(text(children(hours, "start-instance").get(0))).isEqualTo("${coord:current(-24)}");
        assertThat(text(children(hours, "end-instance").get(0))).isEqualTo("${coord:current(-1)}");
        // the daily waits for exactly the markers the hourly writes
        assertThat(hours.getAttribute("dataset")).isEqualTo(output.getAttribute("dataset"));
        assertThat(canonical(datasets(daily).get(hours.getAttribute("dataset"))))
                .isEqualTo(canonical(hourlySets.get(output.getAttribute("dataset"))));

        for (String env : List.of("prod", "staging")) {
            Map<String, String> props = properties(env);
            assertThat(props.get("hourlyStart")).as(env).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:10Z");
            assertThat(props.get("dailyStart")).as(env).matches("\\d{4}-\\d\\d-\\d\\dT00:\\d\\dZ");
            assertThat(props.get("datasetStart")).as(env).matches("\\d{4}-\\d\\d-\\d\\dT00:00Z");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static Schema schema(String... xsds) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        StreamSource[] sources = new StreamSource[xsds.length];
        for (int i = 0; i < xsds.length; i++) {
            URL url = OozieDefinitionsTest.class.getClassLoader().getResource(xsds[i]);
            assertThat(url).as("%s on the test classpath (oozie-client)", xsds[i]).isNotNull();
            sources[i] = new StreamSource(url.toExternalForm());
        }
        return factory.newSchema(sources);
    }

    private static List<Path> xmlFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(APP)) {
            return walk.filter(p -> p.toString().endsWith(".xml")).sorted().collect(Collectors.toList());
        }
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setIgnoringComments(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The job properties with their own ${...} references resolved (as Oozie does). */
    private static Map<String, String> properties(String env) throws IOException {
        Properties raw = new Properties();
        try (Reader in = Files.newBufferedReader(ENVS.resolve(env).resolve("job.properties"))) {
            raw.load(in);
        }
        Map<String, String> props = new TreeMap<>();
        raw.stringPropertyNames().forEach(k -> props.put(k, raw.getProperty(k)));
        Map<String, String> resolved = new TreeMap<>();
        props.forEach((k, v) -> resolved.put(k, substitute(v, props)));
        // keep unresolvable references visible to everyVariableIsDefinedByTheExampleProperties
        props.forEach((k, v) -> {
            if (!variables(v, Set.of()).stream().allMatch(props::containsKey)) {
                resolved.put(k, v);
            }
        });
        return resolved;
    }

    /** Replaces ${name} by its value (repeatedly); other EL is left alone. */
    private static String substitute(String text, Map<String, String> values) {
        String current = text;
        for (int round = 0; round < 10; round++) {
            Matcher m = EL.matcher(current);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                String name = m.group(1).trim();
                String value = values.get(name);
                if (value != null) {
                    changed = true;
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
            }
            m.appendTail(out);
            current = out.toString();
            if (!changed) {
                break;
            }
        }
        return current;
    }

    /** The variables (not functions, keywords or literals) an EL text uses. */
    private static Set<String> variables(String text, Set<String> allowed) {
        Set<String> names = new TreeSet<>();
        Matcher el = EL.matcher(text);
        while (el.find()) {
            String expression = el.group(1).replaceAll("'[^']*'", "''").replaceAll("\"[^\"]*\"", "\"\"");
            Matcher token = TOKEN.matcher(expression);
            while (token.find()) {
                String name = token.group().trim();
                boolean function = token.group(1) != null || token.group(2) != null;
                if (!function && !EL_KEYWORDS.contains(name) && !allowed.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static List<String> undefinedIn(Path file, Set<String> defined) throws Exception {
        List<String> undefined = new ArrayList<>();
        collectUndefined(parse(file).getDocumentElement(), defined, APP.relativize(file).toString(), undefined);
        return undefined;
    }

    private static void collectUndefined(Node node, Set<String> defined, String file, List<String> undefined) {
        Set<String> allowed = node.getParentNode() != null && "uri-template".equals(node.getParentNode().getLocalName())
                ? URI_TEMPLATE_VARIABLES : Set.of();
        if (node.getNodeType() == Node.TEXT_NODE) {
            variables(node.getNodeValue(), allowed).stream().filter(v -> !defined.contains(v))
                    .forEach(v -> undefined.add(file + ": ${" + v + "}"));
        }
        if (node.getAttributes() != null) {
            for (int i = 0; i < node.getAttributes().getLength(); i++) {
                Node attribute = node.getAttributes().item(i);
                variables(attribute.getNodeValue(), Set.of()).stream().filter(v -> !defined.contains(v))
                        .forEach(v -> undefined.add(file + " @" + attribute.getNodeName() + ": ${" + v + "}"));
            }
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            collectUndefined(child, defined, file, undefined);
        }
    }

    /** name -> value (EL text) of what the coordinator of this kind hands to its workflow. */
    private static Map<String, String> workflowConfiguration(String kind) throws Exception {
        Map<String, String> conf = new LinkedHashMap<>();
        Element workflow = elements(parse(APP.resolve(kind).resolve("coordinator.xml")), COORDINATOR, "workflow").get(0);
        for (Element configuration : children(workflow, "configuration")) {
            for (Element property : children(configuration, "property")) {
                conf.put(text(children(property, "name").get(0)), text(children(property, "value").get(0)));
            }
        }
        return conf;
    }

    private static final Pattern FORMAT_OFFSET = Pattern.compile(
            "\\$\\{coord:formatTime\\(coord:dateOffset\\(coord:nominalTime\\(\\), (-?\\d+), '(HOUR|DAY)'\\), '([^']+)'\\)}");
    private static final Pattern DATA_OUT = Pattern.compile("\\$\\{coord:dataOut\\('([^']+)'\\)}");

    /**
     * The value Oozie gives a coordinator action configuration property at a nominal time, for the
     * EL forms the coordinators use (anything else fails the test, to be taught here).
     */
    private static String evaluateCoordinatorEl(String el, OffsetDateTime nominal, Map<String, String> props) {
        Matcher m = FORMAT_OFFSET.matcher(el);
        if (m.matches()) {
            ChronoUnit unit = m.group(2).equals("HOUR") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return nominal.plus(Long.parseLong(m.group(1)), unit).format(DateTimeFormatter.ofPattern(m.group(3)));
        }
        m = DATA_OUT.matcher(el);
        if (m.matches()) {
            try {
                Document hourly = parse(APP.resolve("hourly/coordinator.xml"));
                for (Element out : elements(hourly, COORDINATOR, "data-out")) {
                    if (out.getAttribute("name").equals(m.group(1))) {
                        assertThat(text(children(out, "instance").get(0))).isEqualTo("${coord:current(-1)}");
                        LocalDateTime instance = nominal.truncatedTo(ChronoUnit.HOURS).minusHours(1).toLocalDateTime();
                        String template = text(children(datasets(hourly).get(out.getAttribute("dataset")),
                                "uri-template").get(0));
                        return substitute(template, Map.of("YEAR", String.format("%04d", instance.getYear()),
                                "MONTH", String.format("%02d", instance.getMonthValue()),
                                "DAY", String.format("%02d", instance.getDayOfMonth()),
                                "HOUR", String.format("%02d", instance.getHour())))
                                .transform(t -> substitute(t, props));
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the test does not know how Oozie evaluates " + el);
    }

    private static Map<String, Element> datasets(Document coordinator) {
        Map<String, Element> sets = new LinkedHashMap<>();
        for (Element dataset : elements(coordinator, COORDINATOR, "dataset")) {
            sets.put(dataset.getAttribute("name"), dataset);
        }
        return sets;
    }

    private static Path appFile(String appPath, Map<String, String> props) {
        assertThat(appPath).startsWith("${appRoot}/");
        return APP.resolve(appPath.substring("${appRoot}/".length()));
    }

    private static String canonical(Element element) {
        StringBuilder out = new StringBuilder(element.getLocalName());
        for (int i = 0; i < element.getAttributes().getLength(); i++) {
            Node a = element.getAttributes().item(i);
            out.append(' ').append(a.getNodeName()).append('=').append(a.getNodeValue());
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                out.append('[').append(canonical(e)).append(']');
            } else if (child.getNodeType() == Node.TEXT_NODE) {
                out.append(child.getNodeValue().trim());
            }
        }
        return out.toString();
    }

    private static List<Element> elements(Document doc, String namespace, String name) {
        NodeList nodes = doc.getElementsByTagNameNS(namespace, name);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> list = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && name.equals(e.getLocalName())) {
                list.add(e);
            }
        }
        return list;
    }

    private static String text(Element element) {
        return element.getTextContent().trim();
    }
}
