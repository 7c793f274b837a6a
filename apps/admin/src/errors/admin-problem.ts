/**
 * The admin surface's error: a stable machine code and a safe message.
 * (Served later as RFC 9457 problem details; never an OAuth error code.)
 */
export type AdminProblemCode =
  | 'validation_failed'
  | 'tenant_not_found'
  | 'not_found'
  | 'conflict'
  | 'weak_password'
  | 'forbidden'
  | 'precondition_required'
  | 'precondition_failed';

export class AdminProblem extends Error {
  constructor(
    readonly code: AdminProblemCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdminProblem';
  }
}
