// A SPARQL 1.1 Protocol endpoint over Comunica (@comunica/query-sparql-rdfjs) and an N3.js store,
// for graphkit's engine tests. Comunica's own HTTP server listens on every interface; this one binds
// 127.0.0.1 only.
//
//   node server.mjs --port PORT --load GRAPH=FILE [--load GRAPH=FILE ...]
//
// FILE is Turtle (.ttl), N-Triples (.nt) or N-Quads (.nq; GRAPH is then ignored, the quads keep
// their graphs). Blank nodes are scoped per file. When everything is loaded the server prints
//   listening on http://127.0.0.1:PORT/sparql (N quads)
// on stdout; it exits on SIGTERM or SIGINT.
//
// Protocol (GET /sparql?query=..., POST form-encoded query=..., POST application/sparql-query):
// - SELECT and ASK answer application/sparql-results+json; CONSTRUCT and DESCRIBE answer
//   application/n-triples. A malformed query gets 400, an engine error 500, each with a text/plain
//   message.
// - Dataset: with no default-graph-uri or named-graph-uri parameter, the default graph is the union
//   of all loaded graphs and every loaded graph is a named graph, as in graphkit's embedded store and
//   `oxigraph serve --union-default-graph`; FROM / FROM NAMED in the query then work as Comunica
//   implements them. With either parameter, the protocol dataset replaces the query's (SPARQL 1.1
//   Protocol 2.1.4): the default graph holds the triples of the default-graph-uri graphs (none when
//   none is given) and the named graphs are exactly the named-graph-uri graphs.
// - A triple held by two graphs of the default graph matches once per graph, in every case above:
//   that is how Comunica reads FROM <a> FROM <b>, and how Virtuoso and Oxigraph answer both the
//   union and listed default graphs (SPARQL's RDF merge would match it once).

import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { QueryEngine } from '@comunica/query-sparql-rdfjs';
import { DataFactory, Store, StreamParser } from 'n3';

const { defaultGraph, namedNode, quad } = DataFactory;

function parseArgs(argv) {
  const options = { port: 0, loads: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') options.port = Number(argv[++i]);
    else if (argv[i] === '--load') {
      const spec = argv[++i];
      const at = spec.indexOf('=');
      options.loads.push({ graph: spec.slice(0, at), file: spec.slice(at + 1) });
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!options.port) throw new Error('--port PORT is required');
  return options;
}

function formatOf(file) {
  if (file.endsWith('.nq')) return 'application/n-quads';
  if (file.endsWith('.nt')) return 'application/n-triples';
  return 'text/turtle';
}

async function load(store, { graph, file }, index) {
  const format = formatOf(file);
  const target = format === 'application/n-quads' ? null : namedNode(graph);
  const parser = new StreamParser({ format, blankNodePrefix: `f${index}_` });
  const stream = createReadStream(file).pipe(parser);
  for await (const q of stream) {
    store.addQuad(target ? quad(q.subject, q.predicate, q.object, target) : q);
  }
}

const isWildcard = (term) => !term || term.termType === 'Variable';

// An RDF/JS source that shows the store through a protocol dataset (default-graph-uri and
// named-graph-uri): default-graph triples come from the listed graphs, one copy per graph.
class DatasetView {
  constructor(store, defaults, named) {
    this.store = store;
    this.defaults = defaults.map((iri) => namedNode(iri));
    this.named = new Set(named);
  }

  * defaultQuads(s, p, o) {
    for (const graph of this.defaults) {
      for (const q of this.store.match(s, p, o, graph)) yield quad(q.subject, q.predicate, q.object, defaultGraph());
    }
  }

  * namedQuads(s, p, o, g) {
    if (g) {
      if (this.named.has(g.value)) yield* this.store.match(s, p, o, g);
      return;
    }
    for (const iri of this.named) yield* this.store.match(s, p, o, namedNode(iri));
  }

  * quads(s, p, o, g) {
    [s, p, o] = [s, p, o].map((term) => (isWildcard(term) ? null : term));
    if (isWildcard(g)) {
      yield* this.defaultQuads(s, p, o);
      yield* this.namedQuads(s, p, o, null);
    } else if (g.termType === 'DefaultGraph') yield* this.defaultQuads(s, p, o);
    else yield* this.namedQuads(s, p, o, g);
  }

  match(s, p, o, g) {
    return Readable.from(this.quads(s, p, o, g), { objectMode: true });
  }

  // Comunica uses the count to plan joins.
  countQuads(s, p, o, g) {
    [s, p, o] = [s, p, o].map((term) => (isWildcard(term) ? null : term));
    let graphs;
    if (isWildcard(g)) graphs = [...this.defaults, ...[...this.named].map((iri) => namedNode(iri))];
    else if (g.termType === 'DefaultGraph') graphs = this.defaults;
    else graphs = this.named.has(g.value) ? [g] : [];
    return graphs.reduce((n, graph) => n + this.store.countQuads(s, p, o, graph), 0);
  }
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// The query and the protocol dataset of a request (SPARQL 1.1 Protocol 2.1).
async function requestQuery(request) {
  const url = new URL(request.url, 'http://127.0.0.1');
  let params = url.searchParams;
  let query = params.get('query');
  if (request.method === 'POST') {
    const type = (request.headers['content-type'] || '').split(';')[0].trim();
    const body = await readBody(request);
    if (type === 'application/sparql-query') query = body;
    else if (type === 'application/x-www-form-urlencoded') {
      params = new URLSearchParams(body);
      query = params.get('query');
    } else return { error: `unsupported Content-Type ${type || '(none)'}` };
  }
  if (!query) return { error: 'no query parameter' };
  return { query, defaults: params.getAll('default-graph-uri'), named: params.getAll('named-graph-uri') };
}

function send(response, status, type, body) {
  response.writeHead(status, { 'Content-Type': `${type}; charset=utf-8` });
  response.end(body);
}

async function answer(engine, store, request, response) {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (url.pathname !== '/sparql') return send(response, 404, 'text/plain', 'not found: use /sparql\n');
  if (request.method !== 'GET' && request.method !== 'POST') {
    return send(response, 405, 'text/plain', 'use GET or POST\n');
  }
  const { query, defaults, named, error } = await requestQuery(request);
  if (error) return send(response, 400, 'text/plain', `${error}\n`);
  const context = defaults.length || named.length
    ? { sources: [new DatasetView(store, defaults, named)] }
    : { sources: [store], unionDefaultGraph: true };
  let result;
  try {
    result = await engine.query(query, context);
  } catch (exc) {
    return send(response, 400, 'text/plain', `${exc.message}\n`);
  }
  const type = result.resultType === 'quads' ? 'application/n-triples' : 'application/sparql-results+json';
  try {
    const { data } = await engine.resultToString(result, type);
    const chunks = [];
    for await (const chunk of data) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    send(response, 200, type, Buffer.concat(chunks));
  } catch (exc) {
    send(response, 500, 'text/plain', `${exc.message}\n`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const store = new Store();
  for (const [index, item] of options.loads.entries()) await load(store, item, index);
  const engine = new QueryEngine();
  const server = createServer((request, response) => {
    answer(engine, store, request, response).catch((exc) => {
      if (!response.headersSent) send(response, 500, 'text/plain', `${exc.message}\n`);
    });
  });
  server.listen(options.port, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${options.port}/sparql (${store.size} quads)\n`);
  });
  // Nothing to flush: the data lives in memory only.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

main().catch((exc) => {
  process.stderr.write(`comunica server: ${exc.message}\n`);
  process.exit(1);
});
