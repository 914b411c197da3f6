import { createServer, request } from 'node:http';
import { afterEach } from 'vitest';

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (running.length) await running.pop()!();
});

/**
 * A load balancer in front of several servers on 127.0.0.1, as simple as
 * they come: each request goes to the next server in turn, whatever came
 * before it. Its URL; closed after the test.
 */
export async function roundRobin(servers: string[]): Promise<string> {
  let next = 0;
  const balancer = createServer((incoming, answer) => {
    const target = new URL(incoming.url!, servers[next++ % servers.length]);
    const forwarded = request(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (reply) => {
      answer.writeHead(reply.statusCode!, reply.headers);
      reply.pipe(answer);
    });
    forwarded.on('error', () => answer.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => balancer.listen(0, '127.0.0.1', resolve));
  running.push(() => new Promise((resolve) => balancer.close(() => resolve())));
  const { port } = balancer.address() as { port: number };
  return `http://127.0.0.1:${port}/`;
}
