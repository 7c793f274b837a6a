import 'reflect-metadata';
import { createOrdersApi } from './orders-api.js';

// node dist/examples/protected-api/src/main.js, with GATEHOUSE_ISSUER and API_IDENTIFIER (examples/README.md).
const port = Number(process.env['PORT'] ?? 4000);
const app = await createOrdersApi({
  issuer: process.env['GATEHOUSE_ISSUER'] ?? 'http://localhost:3000/t/demo',
  audience: process.env['API_IDENTIFIER'] ?? 'https://orders.example.test',
});
await app.listen(port, '127.0.0.1');
process.stdout.write(`Orders API on http://127.0.0.1:${port}/orders\n`);
