/**
 * Drives one API endpoint with autocannon and prints its latency percentiles and
 * request rate as JSON. Run as a child process of bench/run.ts, so the load
 * generator does not share the server's event loop.
 *
 * `node --import tsx bench/load.ts '{"url":"http://127.0.0.1:3000","paths":["/api/v1/customers"],"headers":{},"seconds":10}'`
 */
import fs from 'node:fs';
import autocannon from 'autocannon';

type LoadSpec = {
  url: string;
  /** requests cycle through these paths */
  paths: string[];
  headers: Record<string, string>;
  seconds: number;
  connections?: number;
};

// The spec comes inline or, when long (thousands of paths), from a file: `@/tmp/spec.json`.
const argument = process.argv[2] ?? '{}';
const spec = JSON.parse(
  argument.startsWith('@') ? fs.readFileSync(argument.slice(1), 'utf8') : argument,
) as LoadSpec;
const times: number[] = [];
let next = 0;
let errors = 0;
const instance = autocannon({
  url: spec.url,
  connections: spec.connections ?? 10,
  duration: spec.seconds,
  headers: spec.headers,
  requests: [
    {
      setupRequest: (request) => {
        const path = spec.paths[next++ % spec.paths.length];
        return { ...request, path };
      },
    },
  ],
});
instance.on('response', (_client, status: number, _bytes: number, ms: number) => {
  if (status !== 200) errors++;
  times.push(ms);
});
const result = await instance;
times.sort((a, b) => a - b);
const at = (p: number) =>
  times.length ? times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] : null;
console.log(
  JSON.stringify({
    requests: times.length,
    errors: errors + result.errors + result.non2xx,
    seconds: result.duration,
    rps: times.length / result.duration,
    p50: at(50),
    p95: at(95),
    p99: at(99),
  }),
);
