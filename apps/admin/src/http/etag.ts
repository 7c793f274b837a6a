import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { entityTag, ifMatchSatisfied } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';

/** RFC 9110 §13.1.1 If-Match; RFC 6585 §3: updates without it are 428 Precondition Required. */
function requireIfMatch(ifMatch: string | undefined, current: string): void {
  if (!ifMatch) throw new AdminProblem('precondition_required', 'send If-Match with the ETag you last read');
  if (!ifMatchSatisfied(ifMatch, current))
    throw new AdminProblem('precondition_failed', 'the resource changed since you read it; read it again');
}

/**
 * How one kind of resource is versioned: when it last changed and what its version covers. Its
 * reads, its If-Match updates and any other answer carrying the resource share it, so they can
 * never disagree on a version.
 */
export class EntityTag<R> {
  constructor(
    private readonly changedAt: (resource: R) => Date,
    private readonly covered: (resource: R) => unknown,
  ) {}

  of(resource: R): string {
    return entityTag(this.changedAt(resource), this.covered(resource));
  }

  /** Puts the resource's ETag on the reply; answers `body`. */
  answer<B>(reply: FastifyReply, resource: R, body: B): B {
    void reply.header('etag', this.of(resource));
    return body;
  }

  /** 428 without If-Match, 412 unless it names the current version (or `*`). */
  requireMatch(ifMatch: string | undefined, current: R): void {
    requireIfMatch(ifMatch, this.of(current));
  }
}

/** OpenAPI of an update guarded by If-Match: the required header and its 412 and 428 answers. */
export function IfMatchRequired(resource: string): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'If-Match', required: true, description: `The ETag of the ${resource} as last read` }),
    ApiResponse({ status: 412, description: `The ${resource} changed since that ETag was read: read it again` }),
    ApiResponse({ status: 428, description: 'If-Match is missing' }),
  );
}
