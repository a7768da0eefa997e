// Turn a registered route pattern into a concrete URL for route-walking tests.
export function concreteUrl(url: string, params?: unknown): string {
  // A parameter limited to a list of values (e.g. a scenario) takes the first, so the request reaches the body checks.
  const props = (params as { properties?: Record<string, { enum?: unknown[] }> } | undefined)?.properties ?? {};
  for (const [name, p] of Object.entries(props)) if (p.enum?.length) url = url.replace(new RegExp(`:${name}\\b`, 'g'), String(p.enum[0]));
  return url
    .replace(/:id\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:clientId\b/g, 'no-such-client')
    .replace(/:code\b/g, 'no_such_role')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*/g, 'x');
}
