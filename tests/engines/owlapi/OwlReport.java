// What the OWL API (Protégé's and ROBOT's reader) makes of ontology files, as JSON on stdout.
//
//   java -cp OWLAPI_JARS:DIR OwlReport [--imports DIR]... [--catalog FILE]... [--reasoner hermit|openllet|none]
//        [--timeout SECONDS] [--show-annotated N] [--examples N] [--annotated-assertions] FILE...
//
// Offline: an owl:imports is resolved only to an ontology found in an --imports folder (by its
// ontology IRI or version IRI) or mapped to a file by an OASIS XML catalog (--catalog, the
// catalog-v001.xml that Protégé and ROBOT read: its <uri name=IRI uri=FILE/> entries, relative
// to the catalog); anything else is reported as a missing import, never fetched.
// Each FILE is loaded by a manager of its own (so two files sharing an ontology IRI are reported
// as a clash instead of failing), then the import closures of all files are merged into one
// ontology for the axiom counts, the OWL 2 DL profile check and the reasoner.
//
// JSON: files[] (ontology IRI, version IRI, triples read, axioms, unparsed triples with counts by
// predicate and a sample, imports, missing imports, load error), ontology_iri_clashes, axioms,
// logical_axioms, axiom_types, annotated_axioms (by axiom type) and annotated_sample (first N, in
// OWL functional syntax), axiom_annotations (the annotations on axioms, by annotation property),
// with --annotated-assertions annotated_assertions (every annotated object/data property or
// annotation assertion as [subject, property, object, {annotation property: [values]}], objects
// and values as IRI or literal text), datatypes (how many axioms use each), profile (OWL 2 DL: in_profile, violations,
// by_kind {kind: {count, examples}}), reasoner (name, consistent, seconds, timed_out, error; for
// HermiT a strict run first, then, if it refuses an unsupported datatype, a run that ignores such
// datatypes, with the refusal in strict_error).

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.datatypes.UnsupportedDatatypeException;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.HasIRI;
import org.semanticweb.owlapi.model.OWLAnnotationAssertionAxiom;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDataPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLLiteral;
import org.semanticweb.owlapi.model.OWLObjectPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyID;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.OWLReasoner;
import org.semanticweb.owlapi.reasoner.OWLReasonerFactory;

public class OwlReport {
    static final IRI MERGED = IRI.create("urn:graphkit:owl-report:merged");
    static final int TEXT_LIMIT = 400;

    final List<File> files = new ArrayList<>();
    final List<File> importDirs = new ArrayList<>();
    final List<File> catalogs = new ArrayList<>();
    String reasoner = "hermit";
    long timeoutSeconds = 300;
    int showAnnotated = 0;
    int examples = 3;
    boolean annotatedAssertions = false;
    final Map<IRI, IRI> importMap = new LinkedHashMap<>();   // ontology or version IRI -> document

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        System.setOut(System.err);        // stdout carries the JSON only
        OwlReport report = new OwlReport();
        report.parse(args);
        Map<String, Object> json = report.run();
        out.println(Json.write(json));
        out.flush();
        System.exit(0);                   // a reasoner thread that timed out may still be running
    }

    void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--imports": importDirs.add(new File(args[++i])); break;
                case "--catalog": catalogs.add(new File(args[++i])); break;
                case "--reasoner": reasoner = args[++i]; break;
                case "--timeout": timeoutSeconds = Long.parseLong(args[++i]); break;
                case "--show-annotated": showAnnotated = Integer.parseInt(args[++i]); break;
                case "--examples": examples = Integer.parseInt(args[++i]); break;
                case "--annotated-assertions": annotatedAssertions = true; break;
                default:
                    if (args[i].startsWith("--")) throw new IllegalArgumentException("unknown option " + args[i]);
                    files.add(new File(args[i]));
            }
        }
        if (files.isEmpty()) throw new IllegalArgumentException("no ontology file given");
    }

    // --- loading, offline ------------------------------------------------------------------------

    static OWLDocumentFormat formatOf(File file) {
        String name = file.getName().toLowerCase();
        // N-Triples is Turtle; the OWL API's own Turtle parser reads both (no Rio parser needed).
        return name.endsWith(".owl") || name.endsWith(".rdf") || name.endsWith(".xml")
            ? new RDFXMLDocumentFormat() : new TurtleDocumentFormat();
    }

    OWLOntologyManager offlineManager() {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyIRIMapper mapper = iri -> importMap.getOrDefault(
            iri, IRI.create(new File("/nonexistent/offline/" + Integer.toHexString(iri.hashCode()))));
        manager.getIRIMappers().set(mapper);
        manager.setOntologyLoaderConfiguration(new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
            .setFollowRedirects(false)
            .setReportStackTraces(false));
        return manager;
    }

    void readCatalogs() throws Exception {
        for (File catalog : catalogs) {
            org.w3c.dom.NodeList entries = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(catalog).getElementsByTagName("uri");
            for (int i = 0; i < entries.getLength(); i++) {
                org.w3c.dom.Element entry = (org.w3c.dom.Element) entries.item(i);
                File file = new File(catalog.getAbsoluteFile().getParentFile(), entry.getAttribute("uri"));
                importMap.putIfAbsent(IRI.create(entry.getAttribute("name")), IRI.create(file));
            }
        }
    }

    void scanImports() {
        for (File dir : importDirs) {
            File[] found = dir.listFiles((d, name) -> name.matches(".*\\.(ttl|nt|owl|rdf)$"));
            if (found == null) continue;
            java.util.Arrays.sort(found);
            for (File file : found) {
                try {
                    OWLOntologyManager manager = offlineManager();
                    OWLOntologyID id = manager.loadOntologyFromOntologyDocument(
                        new FileDocumentSource(file, formatOf(file))).getOntologyID();
                    IRI document = IRI.create(file);
                    id.getOntologyIRI().ifPresent(iri -> importMap.putIfAbsent(iri, document));
                    id.getVersionIRI().ifPresent(iri -> importMap.putIfAbsent(iri, document));
                } catch (Exception exc) {
                    System.err.println("OwlReport: cannot read import candidate " + file + ": " + exc);
                }
            }
        }
    }

    Map<String, Object> run() throws Exception {
        readCatalogs();
        scanImports();
        Map<String, Object> json = new LinkedHashMap<>();
        List<Object> fileReports = new ArrayList<>();
        List<OWLOntology> loaded = new ArrayList<>();
        Map<String, List<String>> byIri = new TreeMap<>();
        for (File file : files) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file.getPath());
            List<String> missing = new ArrayList<>();
            OWLOntologyManager manager = offlineManager();
            manager.addMissingImportListener(e -> missing.add(e.getImportedOntologyURI().toString()));
            try {
                OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file, formatOf(file)));
                loaded.add(ontology);
                OWLOntologyID id = ontology.getOntologyID();
                String iri = id.getOntologyIRI().map(IRI::toString).orElse(null);
                entry.put("ontology_iri", iri);
                entry.put("version_iri", id.getVersionIRI().map(IRI::toString).orElse(null));
                if (iri != null) byIri.computeIfAbsent(iri, k -> new ArrayList<>()).add(file.getPath());
                entry.put("axioms", ontology.getAxiomCount());
                entry.put("imports", ontology.importsDeclarations().map(d -> d.getIRI().toString()).sorted().collect(Collectors.toList()));
                entry.put("imports_closure", ontology.importsClosure().count());
                Optional<OWLOntologyLoaderMetaData> meta = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData();
                List<RDFTriple> unparsed = meta.map(m -> m.getUnparsedTriples().collect(Collectors.toList())).orElse(List.of());
                entry.put("triples", meta.map(OWLOntologyLoaderMetaData::getTripleCount).orElse(null));
                entry.put("unparsed_triples", unparsed.size());
                entry.put("unparsed_by_predicate", new TreeMap<>(unparsed.stream().collect(
                    Collectors.groupingBy(t -> t.getPredicate().toString(), Collectors.counting()))));
                entry.put("unparsed_sample", unparsed.stream().map(Object::toString).sorted().limit(examples).collect(Collectors.toList()));
            } catch (Exception exc) {
                entry.put("load_error", clip(exc.getClass().getSimpleName() + ": " + exc.getMessage()));
            }
            entry.put("missing_imports", missing);
            fileReports.add(entry);
        }
        json.put("files", fileReports);
        json.put("ontology_iri_clashes", byIri.entrySet().stream().filter(e -> e.getValue().size() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)));

        OWLOntology merged = merge(loaded);
        json.put("axioms", merged.getAxiomCount());
        json.put("logical_axioms", merged.getLogicalAxiomCount());
        json.put("axiom_types", countBy(merged.axioms().collect(Collectors.toList()), a -> a.getAxiomType().getName()));
        List<OWLAxiom> annotated = merged.axioms().filter(OWLAxiom::isAnnotated).sorted().collect(Collectors.toList());
        json.put("annotated_axioms", countBy(annotated, a -> a.getAxiomType().getName()));
        json.put("annotated_sample", annotated.stream().limit(showAnnotated).map(Object::toString).collect(Collectors.toList()));
        json.put("axiom_annotations", countBy(annotated.stream().flatMap(OWLAxiom::annotations).collect(Collectors.toList()),
            a -> a.getProperty().getIRI().toString()));
        if (annotatedAssertions) {
            json.put("annotated_assertions", annotated.stream().map(OwlReport::assertionParts)
                .filter(java.util.Objects::nonNull).collect(Collectors.toList()));
        }
        json.put("datatypes", countBy(merged.axioms().flatMap(a -> a.datatypesInSignature().map(d -> d.getIRI().toString()))
            .collect(Collectors.toList()), d -> d));
        json.put("profile", profile(merged));
        json.put("reasoner", reason(merged));
        return json;
    }

    /** [subject, property, object, {annotation property: [values]}] of an annotated assertion, or null. */
    static List<Object> assertionParts(OWLAxiom axiom) {
        List<Object> parts = new ArrayList<>();
        if (axiom instanceof OWLObjectPropertyAssertionAxiom) {
            OWLObjectPropertyAssertionAxiom a = (OWLObjectPropertyAssertionAxiom) axiom;
            parts.addAll(List.of(text(a.getSubject()), text(a.getProperty()), text(a.getObject())));
        } else if (axiom instanceof OWLDataPropertyAssertionAxiom) {
            OWLDataPropertyAssertionAxiom a = (OWLDataPropertyAssertionAxiom) axiom;
            parts.addAll(List.of(text(a.getSubject()), text(a.getProperty()), a.getObject().getLiteral()));
        } else if (axiom instanceof OWLAnnotationAssertionAxiom) {
            OWLAnnotationAssertionAxiom a = (OWLAnnotationAssertionAxiom) axiom;
            parts.addAll(List.of(text(a.getSubject()), a.getProperty().getIRI().toString(), text(a.getValue())));
        } else {
            return null;
        }
        Map<String, List<String>> annotations = new TreeMap<>();
        axiom.annotations().forEach(an -> annotations.computeIfAbsent(an.getProperty().getIRI().toString(),
            k -> new ArrayList<>()).add(text(an.getValue())));
        annotations.values().forEach(java.util.Collections::sort);
        parts.add(annotations);
        return parts;
    }

    /** An IRI as its text, a literal as its lexical form, anything else as OWL API prints it. */
    static String text(Object object) {
        if (object instanceof OWLLiteral) return ((OWLLiteral) object).getLiteral();
        if (object instanceof HasIRI) return ((HasIRI) object).getIRI().toString();
        if (object instanceof IRI) return object.toString();
        return object.toString();
    }

    static OWLOntology merge(List<OWLOntology> ontologies) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology merged = manager.createOntology(MERGED);
        for (OWLOntology ontology : ontologies) {
            ontology.importsClosure().forEach(o -> manager.addAxioms(merged, o.axioms()));
        }
        return merged;
    }

    // --- OWL 2 DL profile ----------------------------------------------------------------------------

    Map<String, Object> profile(OWLOntology ontology) {
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        Map<String, List<OWLProfileViolation>> byKind = report.getViolations().stream()
            .collect(Collectors.groupingBy(v -> v.getClass().getSimpleName(), TreeMap::new, Collectors.toList()));
        Map<String, Object> kinds = new LinkedHashMap<>();
        byKind.forEach((kind, list) -> {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("count", list.size());
            k.put("examples", list.stream().map(v -> clip(v.toString())).sorted().distinct().limit(examples).collect(Collectors.toList()));
            kinds.put(kind, k);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profile", "OWL 2 DL");
        json.put("in_profile", report.isInProfile());
        json.put("violations", report.getViolations().size());
        json.put("by_kind", kinds);
        return json;
    }

    // --- reasoner ----------------------------------------------------------------------------------

    Map<String, Object> reason(OWLOntology ontology) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", reasoner);
        if (reasoner.equals("none")) return json;
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reasoner");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            try {
                json.put("consistent", consistent(executor, ontology, false));
            } catch (ExecutionException exc) {
                if (!(exc.getCause() instanceof UnsupportedDatatypeException)) throw exc;
                json.put("strict_error", clip(exc.getCause().getMessage()));
                json.put("consistent", consistent(executor, ontology, true));
                json.put("ignored_unsupported_datatypes", true);
            }
            json.put("timed_out", false);
        } catch (TimeoutException exc) {
            json.put("consistent", null);
            json.put("timed_out", true);
        } catch (ExecutionException exc) {
            Throwable cause = exc.getCause();
            json.put("consistent", null);
            json.put("timed_out", false);
            json.put("error", clip(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        } catch (InterruptedException exc) {
            json.put("error", "interrupted");
        }
        json.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        executor.shutdownNow();
        return json;
    }

    boolean consistent(ExecutorService executor, OWLOntology ontology, boolean ignoreUnsupportedDatatypes)
            throws InterruptedException, ExecutionException, TimeoutException {
        Future<Boolean> answer = executor.submit(() -> {
            OWLReasoner engine = createReasoner(ontology, ignoreUnsupportedDatatypes);
            try {
                return engine.isConsistent();
            } finally {
                engine.dispose();
            }
        });
        try {
            return answer.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException exc) {
            answer.cancel(true);
            throw exc;
        }
    }

    OWLReasoner createReasoner(OWLOntology ontology, boolean ignoreUnsupportedDatatypes) {
        switch (reasoner) {
            case "hermit": {
                Configuration configuration = new Configuration();
                configuration.ignoreUnsupportedDatatypes = ignoreUnsupportedDatatypes;
                configuration.throwInconsistentOntologyException = false;
                return new org.semanticweb.HermiT.ReasonerFactory().createReasoner(ontology, configuration);
            }
            case "openllet": {
                OWLReasonerFactory factory = openllet.owlapi.OpenlletReasonerFactory.getInstance();
                return factory.createReasoner(ontology);
            }
            default:
                throw new IllegalArgumentException("unknown reasoner " + reasoner + " (hermit, openllet or none)");
        }
    }

    // --- helpers ------------------------------------------------------------------------------------

    static <T> Map<String, Long> countBy(Collection<T> items, java.util.function.Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    static String clip(String text) {
        if (text == null) return null;
        return text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT) + "...";
    }

    /** A minimal JSON writer (maps, lists, strings, numbers, booleans, null). */
    static final class Json {
        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        static void write(Object value, StringBuilder out) {
            if (value == null) out.append("null");
            else if (value instanceof Map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    if (!first) out.append(", ");
                    first = false;
                    string(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof Collection) {
                out.append('[');
                boolean first = true;
                for (Object item : (Collection<?>) value) {
                    if (!first) out.append(", ");
                    first = false;
                    write(item, out);
                }
                out.append(']');
            } else if (value instanceof Number || value instanceof Boolean) out.append(value);
            else string(value.toString(), out);
        }

        static void string(String text, StringBuilder out) {
            out.append('"');
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"': out.append("\\\""); break;
                    case '\\': out.append("\\\\"); break;
                    case '\n': out.append("\\n"); break;
                    case '\r': out.append("\\r"); break;
                    case '\t': out.append("\\t"); break;
                    default:
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                }
            }
            out.append('"');
        }
    }
}
