// Every list pages, with a hard maximum: these schema fragments and helpers make that the easy path.

export const MAX_PAGE = 200;

export const limitOffsetQuery = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
} as const;

export const cursorQuery = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 },
  cursor: { type: 'integer', minimum: 1 },
} as const;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function pageSchema(item: object) {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      total: { type: 'integer' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
    },
  } as const;
}

export const uuidParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

/** Escape % and _ so user text in a LIKE pattern matches literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
