const names = new Map<string, string>();

/**
 * The `endpoint` label of a route: its template without the issuer prefix (`/t/:tenant/token`
 * → `/token`). Bounded by the routes the code declares; never the raw path of a request.
 */
export function endpointName(route: string | undefined): string {
  if (route === undefined) return 'unmatched';
  let name = names.get(route);
  if (name === undefined) {
    name = route.replace(/^\/t\/:tenant(?=\/|$)/, '') || '/';
    names.set(route, name);
  }
  return name;
}
