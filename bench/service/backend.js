/**
 * The loopback backend the service calls: a plain HTTP server on 127.0.0.1 answering small JSON after a short
 * delay, like a downstream microservice. Runs untraced in its own process. Prints its port on stdout.
 */
import { createServer } from 'node:http';

const delays = { profile: 2, prices: 1, inventory: 3 };

const server = createServer((request, response) => {
  const [, kind, id = '0'] = (request.url ?? '/').split('/');
  const delay = delays[kind];
  if (delay === undefined) {
    response.writeHead(404).end();
    return;
  }
  setTimeout(() => {
    const body = JSON.stringify({ kind, id, value: Number(id) * 7, tags: ['a', 'b', 'c'] });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  }, delay);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
