import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityManager } from 'typeorm';
import { asTenantId } from '@gatehouse/protocol';
import {
  IllegalInteractionTransition,
  INTERACTION_TRANSITIONS,
  InteractionRepository,
  type InteractionState,
} from './interaction.repository.js';

const STATES: readonly InteractionState[] = ['login', 'second_factor', 'enrol', 'consent', 'done'];

/** A manager that records the statements it is asked to run and moves one row. */
function recordingManager(): { manager: EntityManager; statements: unknown[][] } {
  const statements: unknown[][] = [];
  const manager = {
    query: (sql: string, params: unknown[]) => {
      statements.push([sql, params]);
      return Promise.resolve([[{ id: 'i-1' }], 1]);
    },
  } as unknown as EntityManager;
  return { manager, statements };
}

describe('interaction transitions', () => {
  it('allow only the forward steps of a sign-in: nothing goes back, nothing skips consent', () => {
    const allowed = STATES.flatMap((from) => INTERACTION_TRANSITIONS[from].map((to) => `${from}->${to}`));
    assert.deepEqual(allowed.sort(), [
      'consent->done',
      'enrol->consent',
      'login->consent',
      'login->enrol',
      'login->second_factor',
      'second_factor->consent',
    ]);
  });

  it('advance runs the conditional UPDATE for an allowed move and refuses every other without touching the database', async () => {
    const tenant = asTenantId('00000000-0000-4000-8000-000000000001');
    for (const from of STATES) {
      for (const to of STATES) {
        const { manager, statements } = recordingManager();
        const repository = new InteractionRepository(manager);
        if (INTERACTION_TRANSITIONS[from].includes(to)) {
          assert.equal(await repository.advance(tenant, 'i-1', from, to), true, `${from} -> ${to}`);
          assert.equal(statements.length, 1);
        } else {
          await assert.rejects(repository.advance(tenant, 'i-1', from, to), IllegalInteractionTransition, `${from} -> ${to}`);
          assert.equal(statements.length, 0, `${from} -> ${to} reached the database`);
        }
      }
    }
  });
});
