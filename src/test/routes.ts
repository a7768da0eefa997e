// Turn a registered route pattern into a concrete URL for route-walking tests.
export function concreteUrl(url: string): string {
  return url
    .replace(/:id\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:clientId\b/g, 'no-such-client')
    .replace(/:code\b/g, 'no_such_role')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*/g, 'x');
}
