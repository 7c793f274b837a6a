/** Who is asking: copied onto every audit event of a request. */
export interface RequestContext {
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
}
