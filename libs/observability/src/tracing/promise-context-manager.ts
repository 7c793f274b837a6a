import { promiseHooks } from 'node:v8';
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

const CONTEXT = Symbol('gatehouse.trace-context');
type CarryingPromise = Promise<unknown> & { [CONTEXT]?: Context };

/**
 * The active OpenTelemetry context, carried by promises on V8's promise hooks (docs/adr/0013). Before
 * Node 24, AsyncLocalStorage rides on async_hooks: an async id, a resource stack and an init event for
 * every promise and every nextTick, 8 % more CPU per token request on Node 20 (these hooks: 2.7 %,
 * bench/RESULTS.md). They do only what propagation needs: a promise keeps the context it was created
 * in, and its reactions (an await's continuation, a `then` callback) run in it.
 *
 * Unlike AsyncLocalStorage, callbacks of timers, setImmediate, nextTick, queueMicrotask and event
 * emitters run in the root context unless bound to one (`bind`, as the pg and http instrumentations
 * bind theirs). `bind` is inherited: the AsyncLocalStorage manager's storage is never entered, so
 * Node's async hooks stay off.
 */
export class PromiseContextManager extends AsyncLocalStorageContextManager {
  private current: Context = ROOT_CONTEXT;
  private readonly outer: Context[] = [];
  private stopHooks: (() => void) | undefined;

  override active(): Context {
    return this.current;
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  /**
   * The context stays active, and is taken by every promise created, until disposed: dispose it before the
   * synchronous call returns. Left undisposed it would stay active in later callbacks too (AsyncLocalStorage
   * confines it to the callback that attached it). Nothing in Gatehouse or its instrumentations attaches.
   */
  override attach(context: Context): { dispose(): void } {
    const previous = this.current;
    this.current = context;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.current = previous;
      },
    };
  }

  override enable(): this {
    if (this.stopHooks) return this;
    // Typed `Function` in @types/node; it is the hook's stop function.
    this.stopHooks = promiseHooks.createHook({
      init: (promise: CarryingPromise) => {
        if (this.current !== ROOT_CONTEXT) promise[CONTEXT] = this.current;
      },
      before: (promise: CarryingPromise) => {
        this.outer.push(this.current);
        this.current = promise[CONTEXT] ?? ROOT_CONTEXT;
      },
      after: () => {
        this.current = this.outer.pop() ?? ROOT_CONTEXT;
      },
    }) as () => void;
    return this;
  }

  override disable(): this {
    this.stopHooks?.();
    this.stopHooks = undefined;
    this.current = ROOT_CONTEXT;
    this.outer.length = 0;
    return this;
  }
}

/**
 * Whether AsyncLocalStorage runs on AsyncContextFrame (no async hooks): Node 24's default, Node 22's
 * behind a flag. There the standard manager costs no more than the promise hooks would.
 */
export function asyncLocalStorageOnFrames(
  version: string = process.versions.node,
  flags: readonly string[] = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)],
): boolean {
  const major = Number.parseInt(version, 10);
  if (major >= 24) return !flags.includes('--no-async-context-frame');
  return major >= 22 && flags.includes('--experimental-async-context-frame');
}
