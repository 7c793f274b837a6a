/**
 * Work that concurrent requests share, such as one Redis pipeline carrying their rate-limit hits,
 * traced as one span per batch: a child of the first request whose work it carries, linked to the
 * others, with no span per command inside it. Per-command spans would all land in the trace of
 * whichever request happened to send the batch, and cost a span per request (docs/adr/0013).
 * Without OpenTelemetry this module imports nothing of it and `inBatchSpan` is a plain call.
 */
export interface BatchSpans {
  /** The active request's span, to be linked from the batch that carries its work. */
  caller(): BatchCaller | undefined;
  run<T>(
    name: string,
    attributes: BatchSpanAttributes,
    callers: readonly (BatchCaller | undefined)[],
    work: () => Promise<T>,
    failureOf?: (result: T) => string | undefined,
  ): Promise<T>;
}

/** Opaque: a span context when tracing is on. */
export type BatchCaller = { readonly batchCaller: true };
export type BatchSpanAttributes = Readonly<Record<string, string | number>>;

let installed: BatchSpans | undefined;

/** Called once by the OpenTelemetry bootstrap, before any app is created. */
export function installBatchSpans(spans: BatchSpans): void {
  installed = spans;
}

/** Taken in the request, before its work joins a batch; undefined when tracing is off. */
export function batchCaller(): BatchCaller | undefined {
  return installed?.caller();
}

/**
 * `failureOf` reads a failure out of a result that resolved anyway (a pipeline answers each command's
 * error in its reply): the span then ends as an error with that message.
 */
export function inBatchSpan<T>(
  name: string,
  attributes: BatchSpanAttributes,
  callers: readonly (BatchCaller | undefined)[],
  work: () => Promise<T>,
  failureOf?: (result: T) => string | undefined,
): Promise<T> {
  return installed ? installed.run(name, attributes, callers, work, failureOf) : work();
}
