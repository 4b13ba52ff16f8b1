import { createServer } from 'node:http';

// The floor: the least any Node redirect server can do per request. Same
// headers a linkhook 302 carries, no routing, no lookup, no click.
const headers = { location: 'https://example.com/landing', 'cache-control': 'private, no-store, max-age=0', 'x-robots-tag': 'noindex', 'content-length': '0' };
const server = createServer((_req, res) => {
  res.writeHead(302, headers);
  res.end();
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  process.stdout.write(`floor listening on http://127.0.0.1:${addr.port}\n`);
});
