// A SPARQL 1.1 Protocol endpoint over Apache Jena ARQ (the query engine of Fuseki), for graphkit's
// engine tests. It binds 127.0.0.1 only and uses the JDK's own HTTP server, so it needs nothing but
// Jena's jars (Debian's libapache-jena-java) and their dependencies.
//
//   java -cp JARS:CLASSES JenaServer --port PORT --load GRAPH=FILE [--load GRAPH=FILE ...]
//
// FILE is Turtle (.ttl) or N-Triples (.nt). When everything is loaded the server prints
//   listening on http://127.0.0.1:PORT/sparql (N triples in the default graph)
// on stdout; it exits on SIGTERM or SIGINT.
//
// Protocol (GET /sparql?query=..., POST form-encoded query=..., POST application/sparql-query):
// - Queries are parsed as strict SPARQL 1.1 (Syntax.syntaxSPARQL_11), not ARQ's extended syntax,
//   so a query using an ARQ-only form is refused here as a portable client would meet it.
// - SELECT and ASK answer application/sparql-results+json; CONSTRUCT and DESCRIBE answer
//   application/n-triples. A malformed query gets 400, an engine error 500, each with a text/plain
//   message.
// - Dataset: with no default-graph-uri or named-graph-uri parameter, the default graph holds every
//   loaded triple (their RDF merge: a triple in two files is one triple, as when a user loads the
//   release files into Fuseki's default graph) and every loaded graph is a named graph. With either
//   parameter, the protocol dataset replaces the query's (SPARQL 1.1 Protocol 2.1.4): the default
//   graph is the merge of the default-graph-uri graphs and the named graphs are the named-graph-uri
//   graphs.
// - The HTTP Server header is "Apache-Jena-ARQ/VERSION".

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.apache.jena.Jena;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;

public class JenaServer {
    private static final String HOST = "127.0.0.1";
    private static final Map<String, Model> GRAPHS = new LinkedHashMap<>();
    private static Dataset whole;

    public static void main(String[] args) throws Exception {
        int port = 0;
        List<String[]> loads = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port")) port = Integer.parseInt(args[++i]);
            else if (args[i].equals("--load")) {
                String spec = args[++i];
                int at = spec.indexOf('=');
                loads.add(new String[] {spec.substring(0, at), spec.substring(at + 1)});
            } else throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        if (port == 0) throw new IllegalArgumentException("--port PORT is required");
        whole = DatasetFactory.create();
        for (String[] load : loads) {
            Model graph = GRAPHS.computeIfAbsent(load[0], g -> ModelFactory.createDefaultModel());
            RDFDataMgr.read(graph, load[1], load[1].endsWith(".nt") ? Lang.NTRIPLES : Lang.TURTLE);
        }
        for (Map.Entry<String, Model> entry : GRAPHS.entrySet()) {
            whole.addNamedModel(entry.getKey(), entry.getValue());
            whole.getDefaultModel().add(entry.getValue());
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(HOST, port), 0);
        server.createContext("/sparql", JenaServer::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        System.out.println("listening on http://" + HOST + ":" + port + "/sparql ("
                + whole.getDefaultModel().size() + " triples in the default graph)");
        System.out.flush();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try {
            exchange.getResponseHeaders().set("Server", "Apache-Jena-ARQ/" + Jena.VERSION);
            Map<String, List<String>> params = new LinkedHashMap<>();
            addParams(params, exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            if (method.equals("POST")) {
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (type != null && type.startsWith("application/sparql-query")) {
                    params.computeIfAbsent("query", k -> new ArrayList<>()).add(body);
                } else if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
                    addParams(params, body);
                } else {
                    send(exchange, 415, "text/plain", "POST application/sparql-query or a form");
                    return;
                }
            } else if (!method.equals("GET")) {
                send(exchange, 405, "text/plain", "GET or POST");
                return;
            }
            List<String> queries = params.getOrDefault("query", List.of());
            if (queries.size() != 1) {
                send(exchange, 400, "text/plain", "exactly one query parameter is needed");
                return;
            }
            Query query;
            try {
                query = QueryFactory.create(queries.get(0), Syntax.syntaxSPARQL_11);
            } catch (QueryParseException e) {
                send(exchange, 400, "text/plain", e.getMessage());
                return;
            }
            Dataset dataset = dataset(params.getOrDefault("default-graph-uri", List.of()),
                                      params.getOrDefault("named-graph-uri", List.of()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String type;
            try (QueryExecution execution = QueryExecutionFactory.create(query, dataset)) {
                if (query.isSelectType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execSelect());
                    type = "application/sparql-results+json";
                } else if (query.isAskType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execAsk());
                    type = "application/sparql-results+json";
                } else {
                    Model model = query.isConstructType() ? execution.execConstruct() : execution.execDescribe();
                    RDFDataMgr.write(out, model, Lang.NTRIPLES);
                    type = "application/n-triples";
                }
            }
            send(exchange, 200, type, out.toByteArray());
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", String.valueOf(e));
        } finally {
            exchange.close();
        }
    }

    private static Dataset dataset(List<String> defaults, List<String> named) {
        if (defaults.isEmpty() && named.isEmpty()) return whole;
        Dataset dataset = DatasetFactory.create();
        for (String graph : defaults) {
            Model model = GRAPHS.get(graph);
            if (model != null) dataset.getDefaultModel().add(model);
        }
        for (String graph : named) {
            Model model = GRAPHS.get(graph);
            if (model != null) dataset.addNamedModel(graph, model);
        }
        return dataset;
    }

    private static void addParams(Map<String, List<String>> params, String encoded) {
        if (encoded == null || encoded.isEmpty()) return;
        for (String pair : encoded.split("&")) {
            int at = pair.indexOf('=');
            String key = URLDecoder.decode(at < 0 ? pair : pair.substring(0, at), StandardCharsets.UTF_8);
            String value = at < 0 ? "" : URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        send(exchange, status, type + "; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(body);
        }
    }
}
