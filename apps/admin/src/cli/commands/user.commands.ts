import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const userCreate: CliCommand = {
  name: 'user create',
  usage: 'user create --tenant SLUG --username U [--email E] [--password-stdin]',
  options: { tenant: { type: 'string' }, username: { type: 'string' }, email: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  async run({ services, output, readStdin }, positionals, values) {
    const tenant = values['tenant'];
    const username = values['username'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof username !== 'string') {
      throw new UsageError('user create needs --tenant and --username');
    }
    // One trailing newline is what `echo` or a terminal adds; it is not part of the password.
    const password = values['password-stdin'] ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
    const user = await services.users.create({ tenant, username, email: values['email'] as string | undefined, password });
    output.result(
      { id: user.id, tenant, username: user.username, email: user.email },
      `Created user ${user.username} in tenant ${tenant}${password === undefined ? ' (no password set)' : ''}`,
    );
  },
};
