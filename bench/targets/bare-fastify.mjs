// Baseline: the same route on Fastify alone.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
// The same body as Gatehouse's liveness, so the comparison measures the framework, not the payload.
app.get('/health/live', async () => ({ status: 'healthy', checks: [], timestamp: new Date().toISOString() }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING http://127.0.0.1:${app.server.address().port}\n`);
