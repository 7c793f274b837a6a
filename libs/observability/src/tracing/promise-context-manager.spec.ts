import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createContextKey, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { asyncLocalStorageOnFrames, PromiseContextManager } from './promise-context-manager.js';

const REQUEST = createContextKey('request');
const contextOf = (request: string): Context => ROOT_CONTEXT.setValue(REQUEST, request);

describe('PromiseContextManager', () => {
  const manager = new PromiseContextManager();
  const request = () => manager.active().getValue(REQUEST);
  before(() => manager.enable());
  after(() => manager.disable());

  it('carries a context across awaits that resolve in later turns of the event loop', async () => {
    const seen = await manager.with(contextOf('a'), async () => {
      const trail = [request()];
      await nextTurn();
      trail.push(request());
      await Promise.all([nextTurn(), nextTurn()]);
      trail.push(request());
      return trail;
    });
    assert.deepEqual(seen, ['a', 'a', 'a']);
    assert.equal(manager.active(), ROOT_CONTEXT, 'nothing stays active after the call');
  });

  it('keeps interleaved requests apart, each with its own context after every await', async () => {
    const handle = (name: string, turns: number) =>
      manager.with(contextOf(name), async () => {
        const trail: unknown[] = [];
        for (let turn = 0; turn < turns; turn++) {
          await nextTurn();
          trail.push(request());
          await Promise.resolve().then(() => trail.push(request()));
        }
        return trail;
      });
    const [first, second, third] = await Promise.all([handle('a', 4), handle('b', 3), handle('c', 5)]);
    assert.deepEqual(first, Array(8).fill('a'));
    assert.deepEqual(second, Array(6).fill('b'));
    assert.deepEqual(third, Array(10).fill('c'));
  });

  it('runs then-callbacks in the context they were registered in, not the one that resolved the promise', async () => {
    let resolve!: () => void;
    const gate = new Promise<void>((done) => (resolve = done));
    const waiting = manager.with(contextOf('waiter'), () => gate.then(() => request()));
    manager.with(contextOf('resolver'), () => resolve());
    assert.equal(await waiting, 'waiter');
  });

  it('restores the outer context when the function throws, and when a nested call ends', () => {
    manager.with(contextOf('outer'), () => {
      assert.throws(() =>
        manager.with(contextOf('inner'), () => {
          throw new Error('refused');
        }),
      );
      assert.equal(request(), 'outer');
    });
    assert.equal(manager.active(), ROOT_CONTEXT);
  });

  it('continues a rejected await in its own context', async () => {
    const seen = await manager.with(contextOf('failing'), async () => {
      try {
        await nextTurn().then(() => Promise.reject(new Error('refused')));
      } catch {
        return request();
      }
      return undefined;
    });
    assert.equal(seen, 'failing');
  });

  it('runs unbound timer callbacks in the root context, and bound functions and emitters in theirs', async () => {
    const fromTimer = await manager.with(contextOf('a'), () => new Promise((done) => setTimeout(() => done(manager.active()), 1)));
    assert.equal(fromTimer, ROOT_CONTEXT, 'a timer is not a promise: its callback does not inherit');

    const bound = manager.bind(contextOf('bound'), () => request());
    assert.equal(await new Promise((done) => setTimeout(() => done(bound()), 1)), 'bound');

    const emitter = manager.bind(contextOf('emitter'), new EventEmitter());
    const heard = new Promise((done) => emitter.once('event', () => done(request())));
    setTimeout(() => emitter.emit('event'), 1);
    assert.equal(await heard, 'emitter');
  });

  it('attach keeps a context active until disposed', async () => {
    const token = manager.attach(contextOf('attached'));
    const later = Promise.resolve().then(() => request());
    assert.equal(request(), 'attached');
    token.dispose();
    token.dispose();
    assert.equal(manager.active(), ROOT_CONTEXT);
    assert.equal(await later, 'attached', 'a promise made while attached keeps the context');
  });

  it('propagates nothing once disabled', async () => {
    const disabled = new PromiseContextManager().enable().disable();
    const seen = await disabled.with(contextOf('a'), async () => {
      await nextTurn();
      return disabled.active();
    });
    assert.equal(seen, ROOT_CONTEXT);
  });
});

describe('asyncLocalStorageOnFrames', () => {
  it('is true from Node 24 unless turned off, on Node 22 only with its flag, never on Node 20', () => {
    assert.equal(asyncLocalStorageOnFrames('24.11.0', []), true);
    assert.equal(asyncLocalStorageOnFrames('24.11.0', ['--no-async-context-frame']), false);
    assert.equal(asyncLocalStorageOnFrames('22.12.0', []), false);
    assert.equal(asyncLocalStorageOnFrames('22.12.0', ['--experimental-async-context-frame']), true);
    assert.equal(asyncLocalStorageOnFrames('20.19.2', ['--experimental-async-context-frame']), false);
  });
});
