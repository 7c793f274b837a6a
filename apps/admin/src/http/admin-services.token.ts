/** DI token for the AdminServices bundle (plain classes shared with the CLI). */
export const ADMIN_SERVICES = Symbol('ADMIN_SERVICES');
