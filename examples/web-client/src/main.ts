import { createWebClient } from './web-client.js';

// node dist/examples/web-client/src/main.js, with the variables examples/README.md lists.
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (examples/README.md)`);
  return value;
};
const port = Number(process.env['PORT'] ?? 4001);
const origin = `http://127.0.0.1:${port}`;
createWebClient({
  issuer: process.env['GATEHOUSE_ISSUER'] ?? 'http://localhost:3000/t/demo',
  clientId: required('CLIENT_ID'),
  clientSecret: required('CLIENT_SECRET'),
  origin,
  apiUrl: process.env['API_URL'] ?? 'http://127.0.0.1:4000',
  apiIdentifier: process.env['API_IDENTIFIER'] ?? 'https://orders.example.test',
}).listen(port, '127.0.0.1', () => process.stdout.write(`Web client on ${origin}\n`));
