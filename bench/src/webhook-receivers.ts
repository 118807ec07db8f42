import http from 'node:http';

/*
 * The billing systems' webhook endpoints for `npm run bench:webhooks`, in a process of their own so
 * that answering does not share the delivery worker's event loop. `/answer/…` answers 200 at once;
 * `/black-hole/…` reads the request and never answers (the socket stays open until the process
 * ends). Prints `listening <port>` once it accepts connections.
 */

const server = http.createServer((request, response) => {
  request.resume();
  if (request.url?.startsWith('/black-hole/')) return;
  request.on('end', () => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
